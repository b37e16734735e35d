// The desk screens' words, in the two languages of the floor. Each screen keeps its own dictionary
// (`messages(en, zh)`), so a screen's words load with the screen; `useT` reads the language the
// person chose, so switching re-renders every label in place.
import type { Role } from "@floorwatch/contracts";
import type { Lang } from "../i18n";
import { useDesk } from "./context";

export type Messages<K extends string> = Record<Lang, Record<K, string>>;

/** A dictionary: a key missing in Chinese is a type error, not an English word on a Chinese screen. */
export const messages = <K extends string>(en: Record<K, string>, zh: Record<K, string>) =>
  ({ en, "zh-CN": zh }) as Messages<K>;

export type T<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

export const translate =
  <K extends string>(m: Messages<K>, lang: () => Lang): T<K> =>
  (key, vars) =>
    m[lang()][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );

/** A translator over `m` in the desk's current language (reactive: read it inside JSX). */
export const useT = <K extends string>(m: Messages<K>): T<K> => translate(m, useDesk().lang);

/** Words every desk screen uses. */
export const common = messages(
  {
    product: "Floorwatch",
    supervisor: "Supervisor",
    qa: "Quality",
    reports: "Reports",
    exports: "Monthly packs",
    tv: "TV wallboard",
    site: "Site",
    signOut: "Sign out",
    signIn: "Sign in",
    language: "中文",
    languageLabel: "Switch to Chinese",
    loading: "Loading…",
    retry: "Retry",
    refresh: "Refresh",
    none: "Nothing to show",
    error: "Could not load: {message}",
    errorNetwork: "the server cannot be reached",
    errorTimeout: "the server did not answer in time",
    forbiddenTitle: "Not available with this sign-in",
    forbiddenHint: "A {role} token does not open this screen. Screens you can open:",
    notFound: "No such page",
    roleAdmin: "Administrator",
    roleSupervisor: "Supervisor",
    roleQa: "Quality analyst",
    roleDisplay: "Wallboard display",
    roleIntegration: "Integration",
    allSites: "all sites",
    piiGranted: "personal data granted",
    expires: "expires {at}",
    exportCsv: "Export CSV",
    rows: "{n} rows",
    back: "Back",
    unknownSite: "Site {site} is not one of this sign-in's sites",
    unknownSiteHint: "Choose one of your sites above.",
  },
  {
    product: "Floorwatch",
    supervisor: "班组长",
    qa: "质检",
    reports: "报表",
    exports: "月度数据包",
    tv: "电视墙",
    site: "站点",
    signOut: "退出登录",
    signIn: "登录",
    language: "English",
    languageLabel: "切换为英文",
    loading: "加载中…",
    retry: "重试",
    refresh: "刷新",
    none: "暂无数据",
    error: "加载失败：{message}",
    errorNetwork: "无法连接服务器",
    errorTimeout: "服务器响应超时",
    forbiddenTitle: "当前登录身份无权使用此页面",
    forbiddenHint: "{role}令牌不能打开此页面。可打开的页面：",
    notFound: "页面不存在",
    roleAdmin: "管理员",
    roleSupervisor: "班组长",
    roleQa: "质检员",
    roleDisplay: "电视墙显示",
    roleIntegration: "系统集成",
    allSites: "全部站点",
    piiGranted: "可查看个人信息",
    expires: "{at} 到期",
    exportCsv: "导出 CSV",
    rows: "{n} 行",
    back: "返回",
    unknownSite: "当前登录身份无权查看站点 {site}",
    unknownSiteHint: "请在上方选择您可查看的站点。",
  },
);

/** The word of each role in `common`: the shell's who-is-signed-in and the sign-in card say it alike. */
export const ROLE_WORD = {
  admin: "roleAdmin",
  supervisor: "roleSupervisor",
  qa: "roleQa",
  display: "roleDisplay",
  integration: "roleIntegration",
} as const satisfies Record<Role, keyof (typeof common)["en"]>;
