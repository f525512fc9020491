import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PanelDefinition {
  id: string;
  label: string;
  /** Loaded the first time the panel is shown: the shell's bundle carries no panel code. */
  component: LazyExoticComponent<ComponentType>;
}

const unavailable = (title: string, purpose: string) =>
  lazy(async () => ({ default: (await import('../panels/unavailable/UnavailablePanel')).unavailablePanel(title, purpose) }));

/** Every panel of the product, in navigation order; Alt+1…7 jumps to them. */
export const panels: PanelDefinition[] = [
  { id: 'conversation', label: 'Conversation', component: lazy(async () => ({ default: (await import('../panels/conversation/ConversationPanel')).ConversationPanel })) },
  { id: 'models', label: 'Models', component: lazy(async () => ({ default: (await import('../panels/models/ModelsPanel')).ModelsPanel })) },
  { id: 'voice', label: 'Voice', component: lazy(async () => ({ default: (await import('../panels/voice/VoicePanel')).VoicePanel })) },
  { id: 'databases', label: 'Databases', component: unavailable('Databases', 'Connect SQLite, PostgreSQL and MySQL databases the agent may query.') },
  { id: 'documents', label: 'Documents', component: lazy(async () => ({ default: (await import('../panels/documents/DocumentsPanel')).DocumentsPanel })) },
  { id: 'whatsapp', label: 'WhatsApp', component: unavailable('WhatsApp', 'The inbox of WhatsApp contacts the agent serves, with operator takeover.') },
  { id: 'diagnostics', label: 'Diagnostics', component: lazy(async () => ({ default: (await import('../panels/diagnostics/DiagnosticsPanel')).DiagnosticsPanel })) },
];
