/** Services one capability provides and another uses, through a slot in the capability context. */
export type { DocumentIntake, IncomingDocument, IntakeReceipt } from './document-intake';
export type { SpeechSynthesis, SpokenAudio } from './speech-synthesis';
