import { describe, expect, it } from "vitest";
import { addressProblem, checkTarget, maskUrl, parseAllowNetworks } from "./network";

const none = parseAllowNetworks("");

describe("parseAllowNetworks", () => {
  it("allows nothing when empty, and reads addresses and CIDRs of both families", () => {
    expect(none.networks).toEqual([]);
    const policy = parseAllowNetworks(" 127.0.0.1/32, 10.20.0.0/16 ,::1, fd12:3456::/32,");
    expect(policy.networks).toEqual(["127.0.0.1/32", "10.20.0.0/16", "::1", "fd12:3456::/32"]);
    expect(policy.allow.check("127.0.0.1", "ipv4")).toBe(true);
    expect(policy.allow.check("127.0.0.2", "ipv4")).toBe(false);
    expect(policy.allow.check("10.20.255.1", "ipv4")).toBe(true);
    expect(policy.allow.check("10.21.0.1", "ipv4")).toBe(false);
    expect(policy.allow.check("::1", "ipv6")).toBe(true);
    expect(policy.allow.check("fd12:3456:1::9", "ipv6")).toBe(true);
  });

  it.each([
    ["localhost", "localhost"],
    ["127.0.0.1/32, 10.0.0.0/33", "10.0.0.0/33"],
    ["::1/129", "::1/129"],
    ["10.0.0.0/8x", "10.0.0.0/8x"],
    ["10.0.0.0/", "10.0.0.0/"],
    ["fe80::1%eth0", "fe80::1%eth0"],
    ["300.1.1.1", "300.1.1.1"],
  ])("refuses %j naming the bad entry", (text, entry) => {
    expect(() => parseAllowNetworks(text)).toThrow(`"${entry}"`);
  });
});

describe("addressProblem", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["169.254.1.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["169.254.169.254", "cloud metadata"],
    ["fd00:ec2::254", "cloud metadata"],
    ["100.100.100.200", "cloud metadata"],
    ["100.64.0.1", "shared (carrier-grade NAT)"],
    ["100.127.255.254", "shared (carrier-grade NAT)"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["2001:2::1", "benchmarking"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["2001:db8::1", "documentation"],
    ["192.0.0.8", "IETF protocol"],
    ["2001::1", "Teredo"],
    ["fec0::1", "site-local"],
    ["100::1", "discard-only"],
    ["64:ff9b:1::a00:1", "local-use NAT64"],
    ["4000::1", "reserved"],
  ])("refuses %s as %s", (address, kind) => {
    expect(addressProblem(address, none)).toBe(
      `${address} is ${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind} address`,
    );
  });

  it.each([
    ["::ffff:127.0.0.1", "loopback", "127.0.0.1"],
    ["::ffff:7f00:1", "loopback", "127.0.0.1"],
    ["::ffff:10.0.0.1", "private", "10.0.0.1"],
    ["::ffff:a9fe:a9fe", "cloud metadata", "169.254.169.254"],
    ["::127.0.0.1", "loopback", "127.0.0.1"],
    ["::a00:1", "private", "10.0.0.1"],
    ["64:ff9b::127.0.0.1", "loopback", "127.0.0.1"],
    ["64:ff9b::a9fe:a9fe", "cloud metadata", "169.254.169.254"],
    ["2002:7f00:1::1", "loopback", "127.0.0.1"],
    ["2002:c0a8:101::", "private", "192.168.1.1"],
  ])("judges %s by the IPv4 address it embeds", (address, kind, embedded) => {
    expect(addressProblem(address, none)).toBe(
      `${address} is a ${kind} address (it embeds ${embedded})`,
    );
  });

  it.each([
    "93.184.216.34",
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2606:2800:220:1:248:1893:25c8:1946",
    "::ffff:93.184.216.34",
    "64:ff9b::5db8:d822",
    "2002:5db8:d822::1",
  ])("accepts the public address %s", (address) => {
    expect(addressProblem(address, none)).toBeNull();
  });

  it("accepts what the allow list holds, and nothing next to it", () => {
    const policy = parseAllowNetworks("127.0.0.1/32,10.0.0.0/8,fd00::/8,169.254.169.254");
    expect(addressProblem("127.0.0.1", policy)).toBeNull();
    expect(addressProblem("::ffff:127.0.0.1", policy)).toBeNull();
    expect(addressProblem("10.200.3.4", policy)).toBeNull();
    expect(addressProblem("fd99::1", policy)).toBeNull();
    expect(addressProblem("169.254.169.254", policy)).toBeNull();
    expect(addressProblem("127.0.0.2", policy)).toBe("127.0.0.2 is a loopback address");
    expect(addressProblem("::1", policy)).toBe("::1 is a loopback address");
    expect(addressProblem("fc00::1", policy)).toBe("fc00::1 is a private address");
    expect(addressProblem("169.254.169.253", policy)).toBe(
      "169.254.169.253 is a link-local address",
    );
  });

  it("refuses what is not an IP address", () => {
    expect(addressProblem("example.com", none)).toBe("example.com is not an IP address");
  });
});

describe("checkTarget", () => {
  const publicLookup = async () => [{ address: "93.184.216.34", family: 4 }];

  it.each([
    ["not a url", "not a URL"],
    ["ftp://example.com/hook", "the URL must be https (not ftp)"],
    ["https://user:pass@example.com/hook", "the URL may not hold a user name or password"],
    ["https://token@example.com/hook", "the URL may not hold a user name or password"],
    [
      "http://example.com/hook",
      "the URL must be https (http is accepted only for addresses in WEBHOOK_ALLOW_NETWORKS)",
    ],
  ])("refuses %s: %s", async (url, reason) => {
    expect(await checkTarget(url, none, { lookup: publicLookup })).toBe(reason);
  });

  it("says when the host does not resolve", async () => {
    const failing = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), {
        code: "ENOTFOUND",
      });
    };
    expect(await checkTarget("https://nowhere.invalid/", none, { lookup: failing })).toBe(
      "nowhere.invalid does not resolve (ENOTFOUND)",
    );
    expect(await checkTarget("https://empty.test/", none, { lookup: async () => [] })).toBe(
      "empty.test does not resolve",
    );
  });

  it("refuses a name when any of its addresses is refused, naming that address", async () => {
    const mixed = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "fd00:ec2::254", family: 6 },
    ];
    expect(await checkTarget("https://mixed.test/", none, { lookup: mixed })).toBe(
      "mixed.test resolves to fd00:ec2::254, a cloud metadata address",
    );
  });

  it("judges literal IP hosts without resolving them", async () => {
    const never = async () => {
      throw new Error("a literal IP host must not be resolved");
    };
    expect(await checkTarget("https://[fe80::1]/", none, { lookup: never })).toBe(
      "fe80::1 is a link-local address",
    );
    expect(await checkTarget("https://0x7f.1/", none, { lookup: never })).toBe(
      "127.0.0.1 is a loopback address",
    );
    expect(await checkTarget("https://93.184.216.34/", none, { lookup: never })).toBeNull();
  });
});

describe("maskUrl", () => {
  it("masks the key of a WeCom group robot", () => {
    expect(
      maskUrl(
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa",
      ),
    ).toBe("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****");
  });

  it("masks a DingTalk robot's access token and its signature", () => {
    expect(
      maskUrl(
        "https://oapi.dingtalk.com/robot/send?access_token=6d4a8e1f0c2b3a59e7d8c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5&timestamp=1700000000000&sign=abc%2Bdef%3D",
      ),
    ).toBe("https://oapi.dingtalk.com/robot/send?access_token=****&timestamp=****&sign=****");
  });

  it("masks a Feishu or Lark bot's hook token", () => {
    expect(
      maskUrl("https://open.feishu.cn/open-apis/bot/v2/hook/2f6b7a8c-1d3e-4f5a-9b0c-7e8d9f0a1b2c"),
    ).toBe("https://open.feishu.cn/open-apis/bot/v2/hook/****");
    expect(maskUrl("https://open.larksuite.com/open-apis/bot/v2/hook/short")).toBe(
      "https://open.larksuite.com/open-apis/bot/v2/hook/****",
    );
  });

  it("masks a Slack incoming webhook's secret and keeps its workspace and channel ids", () => {
    expect(
      maskUrl("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
    ).toBe("https://hooks.slack.com/services/T00000000/B00000000/****");
  });

  it("masks token-like segments of other URLs and keeps ordinary ones", () => {
    expect(
      maskUrl("https://incidents.bank.example:8443/api/v2/webhooks/floorwatch-alerts/events"),
    ).toBe("https://incidents.bank.example:8443/api/v2/webhooks/floorwatch-alerts/events");
    expect(maskUrl("https://discord.com/api/webhooks/1234567890/aB3dE5fG7hJ9kL1mN3pQ5rS7tU9")).toBe(
      "https://discord.com/api/webhooks/1234567890/****",
    );
  });

  it("drops user info and the fragment, and keeps the port and IPv6 brackets", () => {
    expect(maskUrl("https://admin:hunter22@[2001:db8::1]:8443/hook?x=1#frag")).toBe(
      "https://[2001:db8::1]:8443/hook?x=****",
    );
  });

  it("shows nothing of what is not a URL", () => {
    expect(maskUrl("key=secret not a url")).toBe("(not a URL)");
  });
});
