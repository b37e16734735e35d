// Names kept in both languages (queues, rules, tiles), as every screen reads them: in the language
// read, else in the other one, so a zh-CN floor reads 信用卡 and a name entered in one language only
// still shows. One function for all of them: three copies had drifted apart (one trimmed the other
// language's name, one did not; one fell back to a prettified id, the others to the id itself).
import type { Lang } from "./i18n";

/** The name in the language read, else the other (trimmed both); "" when neither is given. */
export function nameIn(lang: Lang, zh: string, en: string): string {
  const [first, second] = lang === "zh-CN" ? [zh, en] : [en, zh];
  return first.trim() || second.trim();
}

/** A rule's (or an alert's, a breach's) name in the language read, else the other's. */
export const ruleName = (r: { rule_name: string; rule_name_zh: string }, lang: Lang): string =>
  nameIn(lang, r.rule_name_zh, r.rule_name);

/** A queue's two names, as QueueList, LiveQueue and QueueInfo carry them. */
export interface QueueNames {
  queue: string;
  name_zh: string;
  name_en: string;
}

/**
 * A queue's name in the language read, else the other, else its id as sent (the id that filters
 * and links use: a queue without names reads the same on every desk screen).
 */
export const queueName = (
  id: string,
  names: Pick<QueueNames, "name_zh" | "name_en"> | undefined,
  lang: Lang,
): string => (names && nameIn(lang, names.name_zh, names.name_en)) || id;

/** A queue's name looked up in a site's queue list (GET /sites/:site/queues). */
export const queueNameIn = (queues: readonly QueueNames[], id: string, lang: Lang): string =>
  queueName(
    id,
    queues.find((q) => q.queue === id),
    lang,
  );
