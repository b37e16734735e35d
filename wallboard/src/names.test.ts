import { describe, expect, it } from "vitest";
import { nameIn, queueName, queueNameIn, ruleName } from "./names";

const queues = [
  { queue: "cards", name_zh: "信用卡", name_en: "Credit cards" },
  { queue: "loans", name_zh: "贷款", name_en: "" },
  { queue: "vip_cards", name_zh: " ", name_en: "" },
];

describe("names in two languages", () => {
  it("reads a name in the language read, else the other, trimmed, else nothing", () => {
    expect(nameIn("zh-CN", "信用卡", "Credit cards")).toBe("信用卡");
    expect(nameIn("en", "信用卡", "Credit cards")).toBe("Credit cards");
    expect(nameIn("en", "信用卡", " ")).toBe("信用卡");
    expect(nameIn("zh-CN", "", " Credit cards ")).toBe("Credit cards");
    expect(nameIn("en", " ", "")).toBe("");
  });

  it("names a rule in the language read, else the other's", () => {
    const rule = {
      rule_name: "Service level at or above target",
      rule_name_zh: "服务水平不低于目标",
    };
    expect(ruleName(rule, "zh-CN")).toBe("服务水平不低于目标");
    expect(ruleName(rule, "en")).toBe("Service level at or above target");
    expect(ruleName({ rule_name: "Wait", rule_name_zh: " " }, "zh-CN")).toBe("Wait");
  });

  it("names a queue in the language read, else the other, else its id as sent", () => {
    const [cards, loans, vip] = queues;
    expect(queueName("cards", cards, "zh-CN")).toBe("信用卡");
    expect(queueName("cards", cards, "en")).toBe("Credit cards");
    expect(queueName("loans", loans, "en")).toBe("贷款");
    expect(queueName("vip_cards", vip, "en")).toBe("vip_cards");
    expect(queueName("mortgages", undefined, "zh-CN")).toBe("mortgages");
  });

  it("looks a queue's name up in a site's queue list, its id when the list has none", () => {
    expect(queueNameIn(queues, "cards", "zh-CN")).toBe("信用卡");
    expect(queueNameIn(queues, "loans", "en")).toBe("贷款");
    expect(queueNameIn(queues, "mortgages", "en")).toBe("mortgages");
  });
});
