package io.logship.monitor;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one standard MBean on the platform MBean server while the Camel context runs (an added
 * service is started and stopped with it). Under logship's own domain rather than Camel's, so jconsole,
 * Hawtio and scripts find it at a fixed name whatever the Camel context is called.
 */
public class PlatformMBean implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformMBean.class);

    private final ObjectName name;
    private final Object mbean;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    public PlatformMBean(String name, Object mbean) throws JMException {
        this.name = new ObjectName(name);
        this.mbean = mbean;
    }

    @Override
    public void start() {
        try {
            if (server.isRegistered(name)) {
                // a previous instance in this JVM (an embedding application, a test) did not stop: the running one wins
                LOG.warn("Replacing the MBean {} left by an instance that did not stop", name);
                server.unregisterMBean(name);
            }
            server.registerMBean(mbean, name);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the MBean " + name, e);
        }
    }

    @Override
    public void stop() {
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            LOG.warn("Could not unregister the MBean {}: {}", name, e.getMessage());
        }
    }
}
