export type { ContactCard, ContactDoc } from './contact-document.js';
export {
  type ContactRepository,
  contactRepository,
  cosmosContactRepository,
  memoryContactRepository,
} from './contact-repository.js';
export { contactIdOf } from './ids.js';
