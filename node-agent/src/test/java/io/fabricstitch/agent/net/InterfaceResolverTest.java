package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class InterfaceResolverTest {
    @Test
    void findsTheInterfaceByName_byAddress_orByTheBindHost() throws SocketException, UnknownHostException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        NetworkInterface lo = NetworkInterface.getByInetAddress(loopback);
        InetAddress any = InetAddress.getByName("0.0.0.0");
        assertEquals(lo, InterfaceResolver.resolve(lo.getName(), any));
        assertEquals(lo, InterfaceResolver.resolve("127.0.0.1", any));
        assertEquals(lo, InterfaceResolver.resolve(null, loopback));
    }

    @Test
    void refusesAnUnknownInterface_listingTheHostsOnes() throws UnknownHostException {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        for (String name : new String[] {"nosuch0", "192.0.2.254", "300.1.1.1"}) {
            String msg = assertThrows(IllegalStateException.class, () -> InterfaceResolver.resolve(name, any))
                .getMessage();
            assertTrue(msg.startsWith("network.beaconInterface: '" + name + "' (expected: an interface of this host, "
                + "by name or IPv4 address: "), msg);
            assertTrue(msg.contains("127.0.0.1"), msg);
        }
    }

    @Test
    void refusesABindHostThatIsNotOfThisHost() throws UnknownHostException {
        String msg = assertThrows(IllegalStateException.class,
            () -> InterfaceResolver.resolve(null, InetAddress.getByName("192.0.2.254"))).getMessage();
        assertTrue(msg.startsWith("bindHost: 192.0.2.254 (expected: an address of this host, or 0.0.0.0; "
            + "interfaces: "), msg);
    }
}
