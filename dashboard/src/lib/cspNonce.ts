// The page's style nonce: the server puts a fresh one into index.html per response and names it in style-src. Code
// that adds a <style> element (the code editor, the dialogs' scroll lock) must give it this nonce, or the
// Content-Security-Policy refuses it.
export const cspNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
