// Being built in this session (issue #14); replaced by the screen itself.
export default function Qa() {
  return <section class="desk-screen" data-screen="qa" data-ready="false" />;
}
