package io.leopard.protocol;

/**
 * How a merchant's sign was made, as {@link SignDiagnosis} recognises it: the protocol's own recipe
 * (section 3), or one of the wrong recipes seen in the wild. Each wrong one says what went wrong
 * and how to put it right, in Chinese and English.
 */
public enum SignRecipe {
    /** The sign is right. */
    CORRECT("签名正确", "The sign is right."),
    /**
     * The sign is right but written in lower-case hex: accepted, but the answers' signs are upper
     * case, so a verifier that compares them with its own lower-case hex fails.
     */
    LOWER_CASE_HEX("签名正确，但为小写十六进制；应答的签名为大写，校验应答时请忽略大小写比较或转为大写",
            "The sign is right but lower-case hex: accepted, yet the answers are signed in upper case; compare "
                    + "case-insensitively or upper-case your own when you verify an answer."),
    /** {@code stringA&key=KEY}: WeChat Pay's rule, not ours. */
    KEY_PREFIX("密钥前多了 key=：应为 stringA&密钥，而不是 stringA&key=密钥",
            "A key= prefix before the key: append \"&\" + key, not \"&key=\" + key (that is WeChat Pay's rule)."),
    /** Values trimmed of surrounding white space before signing. */
    VALUES_TRIMMED("参数值被去掉了首尾空白：签名时应使用原值",
            "Values were trimmed before signing: sign the values exactly as sent."),
    /** Values URL-encoded in stringA. */
    VALUES_URL_ENCODED("参数值被URL编码后签名：stringA中的值应为原值，不编码",
            "Values were URL-encoded in stringA: sign the raw values; only the form body is encoded."),
    /** HMAC-SHA256 over stringA alone instead of stringSignTemp. */
    HMAC_OVER_STRING_A("HMAC只对stringA计算：应对 stringA&密钥 计算HMAC",
            "HMAC over stringA alone: HMAC-SHA256 runs over stringA + \"&\" + key, keyed with the key."),
    /** The bytes hashed were GBK (or GB18030), not UTF-8. */
    GBK_BYTES("按GBK字节计算：应对UTF-8字节计算",
            "The GBK bytes were hashed: hash the UTF-8 bytes of stringSignTemp."),
    /** {@code sign} (empty, as a placeholder) was part of the signed string. */
    SIGN_INCLUDED("sign参数也被签名了：签名时应排除sign",
            "The sign parameter was signed too (as an empty placeholder): leave sign out of stringA."),
    /** Parameters with empty values were signed. */
    EMPTY_VALUES_SIGNED("空值参数也被签名了：值为空的参数不参与签名",
            "Parameters with empty values were signed: leave them out of stringA."),
    /** Right recipe, other algorithm than {@code signType} names (MD5 when none is named). */
    OTHER_SIGN_TYPE("签名算法与signType不符（未传signType时为MD5）",
            "The sign was made with another algorithm than signType names (MD5 when signType is absent)."),
    /** None of the above: most often another key, or a signed text other than the one sent. */
    UNKNOWN("未匹配任何已知的错误做法：请检查密钥是否为该商户号的密钥，以及签名的参数与发送的参数是否一致",
            "No known wrong recipe matches: check that the key is this mid's key and that you signed exactly "
                    + "the parameters you sent.");

    private final String chinese;
    private final String english;

    SignRecipe(String chinese, String english) {
        this.chinese = chinese;
        this.english = english;
    }

    /** Whether a request signed this way passes the server's check. */
    public boolean verifies() {
        return this == CORRECT || this == LOWER_CASE_HEX;
    }

    /** What it means, in Chinese. */
    public String chinese() {
        return chinese;
    }

    /** What it means, in English. */
    public String english() {
        return english;
    }
}
