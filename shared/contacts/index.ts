export type { ContactDoc } from './contact-document.js';
export { contactIdOf } from './ids.js';
export { getContact } from './reads.js';
