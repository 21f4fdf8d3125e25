import OutboundSockets
import Testing

/// The private-address check behind webhook URLs: an address that reaches loopback or a private network
/// is refused in every spelling, IPv6 transition forms included.
@Suite struct PrivateAddressTests {
    func isPrivate(_ literal: String) throws -> Bool {
        let addresses = try ResolvedAddress.resolve(host: literal, port: 80)
        return addresses.allSatisfy(\.isLoopbackOrPrivate)
    }

    @Test func ipv4LoopbackAndPrivateRangesAreRefused() throws {
        for a in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1"] {
            #expect(try isPrivate(a), "\(a)")
        }
        #expect(try !isPrivate("93.184.216.34"))
    }

    @Test func ipv6TransitionFormsAreJudgedByTheirIPv4Address() throws {
        let privateForms = [
            "::ffff:127.0.0.1", "::127.0.0.1",  // IPv4-mapped and IPv4-compatible
            "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::7f00:1",  // NAT64 of 127.0.0.1, 10.0.0.1
            "2002:7f00:1::1", "2002:c0a8:101::",  // 6to4 of 127.0.0.1, 192.168.1.1
            "2001:0:4136:e378:8000:63bf:80ff:fffe",  // Teredo, client 127.0.0.1 (inverted)
            "::1", "::", "fc00::1", "fd12::1", "fe80::1", "ff02::1",
        ]
        for a in privateForms { #expect(try isPrivate(a), "\(a)") }
        for a in ["64:ff9b::5db8:d822", "2002:5db8:d822::1", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"] {
            #expect(try !isPrivate(a), "\(a)")
        }
    }
}
