package io.logship.config;

import java.math.BigDecimal;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{millis:logstash.retry.delay}}}: settings are given in seconds (decimals allowed, as operators
 * write them) while Camel's options take milliseconds.
 */
public class SecondsAsMillis implements PropertiesFunction, CamelContextAware {

    private CamelContext context;

    @Override
    public String getName() {
        return "millis";
    }

    @Override
    public String apply(String property) {
        String seconds = context.resolvePropertyPlaceholders("{{" + property.trim() + "}}");
        try {
            return new BigDecimal(seconds.trim()).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a number of seconds, got '" + seconds + "'");
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }
}
