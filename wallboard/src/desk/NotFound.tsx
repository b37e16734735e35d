import { common, useT } from "./i18n";

export default function NotFound() {
  const t = useT(common);
  return (
    <section class="desk-forbidden" data-testid="not-found">
      <h1>{t("notFound")}</h1>
    </section>
  );
}
