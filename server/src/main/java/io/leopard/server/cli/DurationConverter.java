package io.leopard.server.cli;

import io.leopard.server.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line, written as in the config file: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 24h}. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d = Durations.parse(value);
        if (d == null) {
            throw new TypeConversionException("expected a duration such as 0s, 30m or 24h; got \"" + value + "\"");
        }
        return d;
    }
}
