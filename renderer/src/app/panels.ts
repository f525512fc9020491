import type { ComponentType } from 'react';
import { ConversationPanel } from '../panels/conversation/ConversationPanel';
import { DiagnosticsPanel } from '../panels/diagnostics/DiagnosticsPanel';
import { ModelsPanel } from '../panels/models/ModelsPanel';
import { unavailablePanel } from '../panels/unavailable/UnavailablePanel';
import { VoicePanel } from '../panels/voice/VoicePanel';

export interface PanelDefinition {
  id: string;
  label: string;
  component: ComponentType;
}

/** Every panel of the product, in navigation order; Alt+1…7 jumps to them. */
export const panels: PanelDefinition[] = [
  { id: 'conversation', label: 'Conversation', component: ConversationPanel },
  { id: 'models', label: 'Models', component: ModelsPanel },
  { id: 'voice', label: 'Voice', component: VoicePanel },
  { id: 'databases', label: 'Databases', component: unavailablePanel('Databases', 'Connect SQLite, PostgreSQL and MySQL databases the agent may query.') },
  { id: 'documents', label: 'Documents', component: unavailablePanel('Documents', 'Upload PDFs the agent answers from, and read them here.') },
  { id: 'whatsapp', label: 'WhatsApp', component: unavailablePanel('WhatsApp', 'The inbox of WhatsApp contacts the agent serves, with operator takeover.') },
  { id: 'diagnostics', label: 'Diagnostics', component: DiagnosticsPanel },
];
