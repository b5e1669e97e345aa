package com.hongbao.ledger.api.web;

import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What keeps clients that send their request bodies slowly, or never finish them, from holding
 * the service (ADR 15):
 *
 * <ul>
 *   <li>Tomcat handles each request on a virtual thread, so a request waiting for its body parks
 *       a virtual thread instead of taking one of a fixed pool of platform threads; health and
 *       other clients keep answering however many bodies are stalled (up to Tomcat's connection
 *       limit).</li>
 *   <li>{@code server.tomcat.connection-timeout} (application.yml) bounds each wait for the
 *       client, including every read of its body, so a stalled request is cut.</li>
 *   <li>{@link UnreadBodyValve} ends the connection after an error response to a request whose
 *       body was not read to its end: at once after a 408, otherwise with {@code Connection: close}
 *       once Tomcat has read off what is left of the body (each read bounded by the timeout).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class SlowClients {

    /**
     * The customizer; {@code ledger.http.virtual-threads=false} keeps Tomcat's pool of platform
     * threads (200), for comparison: then 200 stalled bodies hold every request thread until the
     * connection timeout cuts them.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> slowClientLimits(
            @Value("${ledger.http.virtual-threads:true}") boolean virtualThreads) {
        return factory -> {
            if (virtualThreads) {
                factory.addProtocolHandlerCustomizers(handler -> handler.setExecutor(new VirtualThreadExecutor("http-")));
            }
            factory.addContextCustomizers(context -> context.getPipeline().addValve(new UnreadBodyValve()));
        };
    }
}
