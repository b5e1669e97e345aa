package com.hongbao.ledger.api.web;

import org.apache.catalina.Container;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts {@link ProblemErrorReportValve} where Tomcat's error report valve was, so what the
 * container refuses before Spring sees it is a problem too. This customizer has no order, so it
 * runs after Spring Boot's own (which adds Tomcat's valve) and replaces that valve.
 */
@Configuration(proxyBeanMethods = false)
public class ContainerErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(JsonMapper jsonMapper) {
        return factory -> factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            Pipeline pipeline = host.getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            pipeline.addValve(new ProblemErrorReportValve(jsonMapper));
            if (host instanceof StandardHost standardHost) {
                // The host adds a valve of this class when it starts unless one is there: ours is.
                standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }
}
