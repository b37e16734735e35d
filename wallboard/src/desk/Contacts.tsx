// Being built in this session (issue #14); replaced by the screen itself.
export default function Contacts() {
  return <section class="desk-screen" data-screen="contacts" data-ready="false" />;
}
