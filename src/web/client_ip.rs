//! Which address a request comes from. `X-Forwarded-For` can be written by anyone, so
//! it is believed only when the peer itself is one of the `TRUSTED_PROXIES` (the
//! reverse proxies in front of the application), and then only as far as the proxies
//! go: the client is the right-most address in it that is not a trusted proxy.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::HttpRequest;

/// One address or network (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    fn parse(text: &str) -> Option<Network> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address.trim().parse().ok()?;
        let address = address.to_canonical();
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix.trim().parse::<u8>().ok().filter(|p| *p <= bits)?,
            None => bits,
        };
        Some(Network { address, prefix })
    }

    fn contains(&self, address: IpAddr) -> bool {
        match (self.address, address.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(address)) => same_prefix(
                u32::from(network).into(),
                u32::from(address).into(),
                32,
                self.prefix,
            ),
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                same_prefix(u128::from(network), u128::from(address), 128, self.prefix)
            }
            _ => false,
        }
    }
}

/// Whether the first `prefix` of `bits` bits of `a` and `b` agree.
fn same_prefix(a: u128, b: u128, bits: u8, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let shift = u32::from(bits - prefix);
    (a >> shift) == (b >> shift)
}

/// The reverse proxies whose `X-Forwarded-For` is believed (TRUSTED_PROXIES); none by
/// default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Network>);

impl TrustedProxies {
    /// Reads a comma-separated list of addresses and CIDR networks
    /// (`127.0.0.1, 10.0.0.0/8, ::1`); an empty text trusts no one.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                Network::parse(part).ok_or_else(|| {
                    format!("{part:?} is not an IP address or a network such as 10.0.0.0/8")
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(address))
    }
}

/// Reads one `X-Forwarded-For` entry: an address, perhaps with a port
/// (`203.0.113.7`, `203.0.113.7:4711`, `[2001:db8::1]:443`).
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .map(|address| address.to_canonical())
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the
/// right-most `X-Forwarded-For` address that is not a trusted proxy (every header line
/// read in order). An entry that cannot be read stops the walk at the last address
/// believed so far.
pub fn client_ip(request: &HttpRequest, trusted: &TrustedProxies) -> IpAddr {
    let peer = request
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| {
            peer.ip().to_canonical()
        });
    if !trusted.trusts(peer) {
        return peer;
    }
    let entries: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(address) = forwarded_address(entry) else {
            break;
        };
        client = address;
        if !trusted.trusts(address) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn from(peer: &str, forwarded: &[&str]) -> TestRequest {
        let mut request = TestRequest::default().peer_addr(peer.parse().expect("a socket address"));
        for value in forwarded {
            request = request.append_header(("X-Forwarded-For", *value));
        }
        request
    }

    fn client(peer: &str, forwarded: &[&str], trusted: &str) -> String {
        let trusted = TrustedProxies::parse(trusted).expect("trusted proxies");
        client_ip(&from(peer, forwarded).to_http_request(), &trusted).to_string()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        assert_eq!(
            client("198.51.100.4:5000", &["203.0.113.9"], ""),
            "198.51.100.4"
        );
        assert_eq!(
            client("198.51.100.4:5000", &["203.0.113.9"], "127.0.0.1"),
            "198.51.100.4"
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        let trusted = "127.0.0.1, 10.0.0.0/8";
        assert_eq!(
            client("127.0.0.1:80", &["203.0.113.9"], trusted),
            "203.0.113.9"
        );
        // A client cannot pass itself off as someone else by writing the header itself:
        // the proxy appends the real address, which is the right-most untrusted one.
        assert_eq!(
            client("127.0.0.1:80", &["1.2.3.4, 203.0.113.9, 10.1.2.3"], trusted),
            "203.0.113.9"
        );
        assert_eq!(
            client("127.0.0.1:80", &["1.2.3.4", "203.0.113.9:4711"], trusted),
            "203.0.113.9"
        );
        // Only proxies in the header: the left-most of them.
        assert_eq!(
            client("127.0.0.1:80", &["10.0.0.2, 10.0.0.3"], trusted),
            "10.0.0.2"
        );
        // No header: the proxy itself.
        assert_eq!(client("127.0.0.1:80", &[], trusted), "127.0.0.1");
        // An unreadable entry stops the walk at the last address believed.
        assert_eq!(
            client(
                "127.0.0.1:80",
                &["203.0.113.9, nonsense, 10.0.0.7"],
                trusted
            ),
            "10.0.0.7"
        );
        assert_eq!(
            client("[::1]:80", &["[2001:db8::5]:443"], "::1"),
            "2001:db8::5"
        );
    }

    #[test]
    fn trusted_proxies_read_addresses_and_networks() {
        let trusted = TrustedProxies::parse(" 10.0.0.0/8 ,::1, 192.168.1.7 ,, fd00::/8")
            .expect("a valid list");
        for inside in [
            "10.255.0.1",
            "::1",
            "192.168.1.7",
            "fd12::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(
                trusted.trusts(inside.parse().expect("an address")),
                "{inside}"
            );
        }
        for outside in ["11.0.0.1", "192.168.1.8", "::2", "fe80::1"] {
            assert!(
                !trusted.trusts(outside.parse().expect("an address")),
                "{outside}"
            );
        }
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .expect("all")
                .trusts("8.8.8.8".parse().expect("ip"))
        );
    }
}
