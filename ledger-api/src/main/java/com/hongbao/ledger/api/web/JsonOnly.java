package com.hongbao.ledger.api.web;

import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API reads and writes JSON (problems as {@code application/problem+json}; a bill as CSV, which
 * its controller writes itself). Spring registers a converter for every data format a library on
 * the class path offers (YAML comes with the API docs' libraries), and would write the ledger's
 * objects in it to a client that asked, or read a body in it: those converters are removed, so a
 * request for another type is 406 {@code not_acceptable} and a body of another type 415
 * {@code unsupported_media_type}.
 */
@Configuration(proxyBeanMethods = false)
public class JsonOnly implements WebMvcConfigurer {

    private static final Set<String> OTHER_FORMATS = Set.of("yaml", "x-yaml", "xml", "cbor", "x-jackson-smile",
            "x-protobuf", "protobuf", "x-msgpack");

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(JsonOnly::writesAnotherFormat));
    }

    private static boolean writesAnotherFormat(HttpMessageConverter<?> converter) {
        for (MediaType type : converter.getSupportedMediaTypes()) {
            String subtype = type.getSubtype();
            int plus = subtype.lastIndexOf('+');
            if (OTHER_FORMATS.contains(subtype) || (plus >= 0 && OTHER_FORMATS.contains(subtype.substring(plus + 1)))) {
                return true;
            }
        }
        return false;
    }
}
