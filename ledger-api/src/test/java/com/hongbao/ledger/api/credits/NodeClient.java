package com.hongbao.ledger.api.credits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls one node of the ledger over HTTP with that node's own dev tokens (each node signs with a key
 * of its own): for tests that run several nodes on one database.
 */
final class NodeClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    NodeClient(int port) {
        this.port = port;
    }

    /** A token of this node for the subject with these roles (cached). */
    String token(String subject, String... roles) {
        return tokens.computeIfAbsent(subject + "/" + String.join(",", roles), key -> {
            Reply reply = post("/dev/tokens", null, JSON.writeValueAsString(Map.of("subject", subject,
                    "roles", List.of(roles))), Map.of());
            if (reply.status() != 200) {
                throw new IllegalStateException("token request failed: " + reply);
            }
            return reply.json().get("accessToken").asString();
        });
    }

    /** A merchant's token of this node. */
    String merchantToken(String merchantId) {
        return tokens.computeIfAbsent("merchant/" + merchantId, key -> {
            Reply reply = post("/dev/tokens", null, JSON.writeValueAsString(Map.of("subject", "owner-of-" + merchantId,
                    "roles", List.of("merchant"), "merchantId", merchantId)), Map.of());
            if (reply.status() != 200) {
                throw new IllegalStateException("token request failed: " + reply);
            }
            return reply.json().get("accessToken").asString();
        });
    }

    Reply post(String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        try {
            HttpResponse<String> response = HTTP.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
