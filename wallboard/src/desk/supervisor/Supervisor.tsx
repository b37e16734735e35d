// Being built in this session (issue #14); replaced by the screen itself.
export default function Supervisor() {
  return <section class="desk-screen" data-screen="supervisor" data-ready="false" />;
}
