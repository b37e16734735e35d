// Being built in this session (issue #14); replaced by the screen itself.
export default function Contact() {
  return <section class="desk-screen" data-screen="contact" data-ready="false" />;
}
