// Being built in this session (issue #14); replaced by the screen itself.
export default function Reports() {
  return <section class="desk-screen" data-screen="reports" data-ready="false" />;
}
