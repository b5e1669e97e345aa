package com.hongbao.ledger.api.web;

import org.apache.tomcat.util.threads.VirtualThreadExecutor;
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
 *   <li>{@link UnreadBodyValve} closes the connection after an error response to a request whose
 *       body was never read, rather than reading that body to its end.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class SlowClients {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> slowClientLimits() {
        return factory -> {
            factory.addProtocolHandlerCustomizers(handler -> handler.setExecutor(new VirtualThreadExecutor("http-")));
            factory.addContextCustomizers(context -> context.getPipeline().addValve(new UnreadBodyValve()));
        };
    }
}
