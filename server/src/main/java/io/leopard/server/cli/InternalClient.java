package io.leopard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leopard.server.internal.InternalReplies;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An admin command's line to a running server's internal listener: JSON in and out, one bearer
 * token. Every failure is an exception whose message is the one line the command prints: the
 * server's own message for a refused request (the same text the local command would print), and
 * for the transport, where the server was found and which token source was used (never the token).
 */
final class InternalClient {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String token;
    private final String tokenSource;
    private final String foundBy;
    private final HttpClient http;

    /**
     * @param baseUrl     the listener's base URL, without {@code /internal/v1}
     * @param tokenSource where the token came from, for messages ({@code --token})
     * @param foundBy     how the server was found, for messages ({@code from data/leopard.running, pid 42})
     */
    InternalClient(String baseUrl, String token, String tokenSource, String foundBy) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.tokenSource = tokenSource;
        this.foundBy = foundBy;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode get(String path) {
        return exchange(request(path, ANSWER).GET(), path);
    }

    /** {@code method path} with {@code body} as JSON, or no body when {@code null}. */
    JsonNode send(String method, String path, ObjectNode body) {
        HttpRequest.BodyPublisher publisher;
        HttpRequest.Builder b = request(path, ANSWER);
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            b.header("Content-Type", "application/json; charset=UTF-8");
            publisher = HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
        }
        return exchange(b.method(method, publisher), path);
    }

    /** Posts {@code file} as it is read (never whole in memory), with no time limit on the answer. */
    JsonNode upload(String path, Path file, String contentType) throws FileNotFoundException {
        HttpRequest.Builder b = request(path, null).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofFile(file));
        return exchange(b, path);
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/internal/v1" + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        return timeout == null ? b : b.timeout(timeout);
    }

    private JsonNode exchange(HttpRequest.Builder request, String path) {
        HttpResponse<String> res;
        try {
            res = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new IllegalStateException("cannot reach the server's internal listener at " + baseUrl + " (" + foundBy
                    + "): is it running?");
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException("the server's internal listener at " + baseUrl + " (" + foundBy
                    + ") did not answer within " + ANSWER.toSeconds() + " s");
        } catch (IOException e) {
            throw new IllegalStateException("lost the connection to the server's internal listener at " + baseUrl + " ("
                    + foundBy + "): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server at " + baseUrl);
        }
        int status = res.statusCode();
        if (status == 401) {
            throw new IllegalStateException("the server at " + baseUrl + " (" + foundBy + ") refused the token from "
                    + tokenSource + " (401): give the right one with --token");
        }
        if (status == 204) {
            return InternalReplies.JSON.createObjectNode(); // done, nothing to say (a DELETE)
        }
        JsonNode body;
        try {
            body = InternalReplies.JSON.readTree(res.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new IllegalStateException("the server at " + baseUrl + " answered " + status + " to " + path
                    + " without JSON: is that a Leopard internal listener?");
        }
        if (status >= 500) {
            throw new IllegalStateException("the server at " + baseUrl + " failed (" + status + "): "
                    + body.path("message").asText("no reason given"));
        }
        if (status >= 400) {
            if (status == 404 && "not_found".equals(body.path("error").asText())) {
                throw new IllegalStateException("the server at " + baseUrl + " has no " + path
                        + " (404): is it an older Leopard?");
            }
            // the server's checks are the local command's, with the same messages
            throw new IllegalArgumentException(body.path("message").asText("refused (" + status + ")"));
        }
        return body;
    }
}
