package io.leopard.protocol;

/**
 * The payment channel ({@code type}): {@code wechat}, {@code alipay}, {@code QQwallet},
 * {@code netpay}, {@code quickpay}, {@code jd}. Matched exactly as written; unknown values are kept.
 */
public final class PayType extends WireValue {
    private static final long serialVersionUID = 1L;

    public static final PayType WECHAT = new PayType("wechat", true);
    public static final PayType ALIPAY = new PayType("alipay", true);
    public static final PayType QQWALLET = new PayType("QQwallet", true);
    public static final PayType NETPAY = new PayType("netpay", true);
    public static final PayType QUICKPAY = new PayType("quickpay", true);
    public static final PayType JD = new PayType("jd", true);

    private static final PayType[] KNOWN = {WECHAT, ALIPAY, QQWALLET, NETPAY, QUICKPAY, JD};

    private PayType(String value, boolean known) {
        super(value, known);
    }

    public static PayType of(String value) {
        for (PayType t : KNOWN) {
            if (t.value().equals(value)) {
                return t;
            }
        }
        return new PayType(requireValue(value), false);
    }
}
