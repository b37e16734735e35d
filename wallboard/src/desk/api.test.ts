import { describe, expect, it } from "vitest";
import { ApiFailure, errorText } from "./api";
import { common, translate } from "./i18n";

describe("errorText", () => {
  const zh = translate(common, () => "zh-CN");

  it("says a network failure and a timeout in the person's language", () => {
    expect(errorText(new ApiFailure(0, "network", "Failed to fetch"), zh)).toBe("无法连接服务器");
    expect(errorText(new ApiFailure(0, "timeout", "aborted"), zh)).toBe("服务器响应超时");
  });

  it("gives the API's own message for its refusals, and any other error's message", () => {
    expect(
      errorText(new ApiFailure(403, "forbidden", "This token may not read breaches"), zh),
    ).toBe("This token may not read breaches");
    expect(errorText(new Error("boom"), zh)).toBe("boom");
    expect(errorText("plain", zh)).toBe("plain");
  });
});
