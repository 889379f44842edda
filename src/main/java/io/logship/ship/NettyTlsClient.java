package io.logship.ship;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import org.apache.camel.component.netty.ClientInitializerFactory;
import org.apache.camel.component.netty.DefaultClientInitializerFactory;
import org.apache.camel.component.netty.NettyConfiguration;
import org.apache.camel.component.netty.NettyProducer;

/**
 * Netty's client pipeline with a TLS engine that knows which host it talks to. camel-netty 4.17 makes its engine
 * without the peer's name, so with {@code hostnameVerification} every handshake fails ("Hostname or IP address is
 * undefined"); here the engine is made for the endpoint's host and port, and checks that the certificate names it
 * unless LOGSTASH_SSL_VERIFY_HOSTNAME=false.
 *
 * <p>A failed handshake fails the pending write, which is how the producer hears of it; the same failure also
 * reaches the end of the pipeline as an exception, which camel-netty would report a second time on an exchange
 * already handed to the dead letter channel. The handler after {@code ssl} stops that second report.
 */
public class NettyTlsClient extends ClientInitializerFactory {

    private final SSLContext context;
    private final boolean verifyHostname;

    public NettyTlsClient(SSLContext context, boolean verifyHostname) {
        this.context = context;
        this.verifyHostname = verifyHostname;
    }

    /** Netty asks the factory in the registry for one per producer. */
    @Override
    public ClientInitializerFactory createPipelineFactory(NettyProducer producer) {
        return new Pipeline(producer);
    }

    @Override
    protected void initChannel(Channel channel) {
        throw new IllegalStateException("only the factories made by createPipelineFactory set up channels");
    }

    private final class Pipeline extends DefaultClientInitializerFactory {

        private final NettyProducer producer;

        Pipeline(NettyProducer producer) {
            super(producer);
            this.producer = producer;
        }

        @Override
        protected void initChannel(Channel channel) throws Exception {
            super.initChannel(channel);
            NettyConfiguration configuration = producer.getConfiguration();
            if (!configuration.isSsl()) {
                return;
            }
            SSLEngine engine = context.createSSLEngine(configuration.getHost(), configuration.getPort());
            engine.setUseClientMode(true);
            if (verifyHostname) {
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(parameters);
            }
            channel.pipeline().replace("ssl", "ssl", new SslHandler(engine));
            channel.pipeline().addAfter("ssl", "tls-failure-reported", new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    if (!(cause instanceof SSLException) && !(cause.getCause() instanceof SSLException)) {
                        ctx.fireExceptionCaught(cause);
                    }
                }
            });
        }
    }
}
