// Being built in this session (issue #14); replaced by the screen itself.
export default function Breach() {
  return <section class="desk-screen" data-screen="breach" data-ready="false" />;
}
