package io.leopard.server.cli;

import io.leopard.protocol.FormCodec;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.demo.DemoFixture;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code leopard sign}: shows a merchant developer what the server computes, to debug
 * {@code SIGN_ERROR}: the string-to-sign (key masked) and the sign for every sign type.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Print the string-to-sign (key masked) and the sign for each sign type.",
        footerHeading = CommandContext.EXAMPLE,
        footer = {"  ${COMMAND-FULL-NAME} --key " + DemoFixture.KEY + " \\",
                "      mid=" + DemoFixture.MID + " orderNo=M201611101010100002 noise=demo12345"})
final class SignCommand implements Callable<Integer> {

    @Option(names = "--key", required = true, paramLabel = "K", description = "The merchant key.")
    String key;

    @Parameters(paramLabel = "name=value", arity = "1..*",
            description = "Request parameters exactly as sent (a sign=... pair is ignored).")
    List<String> pairs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ProtocolException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "expected name=value, got \"" + ParamRules.printable(pair) + "\"");
            }
            String name = pair.substring(0, eq);
            ParamRules.checkName(name);
            if (params.put(name, pair.substring(eq + 1)) != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "parameter " + name + " is given twice");
            }
        }
        if (key.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--key must not be empty");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("stringSignTemp: " + Signer.maskedStringSignTemp(params));
        for (SignType type : SignType.values()) {
            out.printf("%-12s %s%n", type.wireName(), Signer.sign(params, key, type));
        }
        if (params.containsKey("signType")) {
            out.println("note: signType=" + params.get("signType") + " is a parameter, so it is part of every line above;"
                    + " only the line of that type is the one the server expects.");
        }
        out.println("form body:      " + FormCodec.encode(withSign(params)));
        out.flush();
        return 0;
    }

    private Map<String, String> withSign(Map<String, String> params) {
        Map<String, String> signed = new LinkedHashMap<>(params);
        SignType type = params.containsKey("signType") ? SignType.fromWire(params.get("signType")) : SignType.MD5;
        signed.put(Signer.SIGN_FIELD, Signer.sign(params, key, type == null ? SignType.MD5 : type));
        return signed;
    }
}
