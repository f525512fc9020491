import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PanelDefinition {
  id: string;
  label: string;
  /** Loaded the first time the panel is shown: the shell's bundle carries no panel code. */
  component: LazyExoticComponent<ComponentType>;
}

/** Every panel of the product, in navigation order; Alt+1…8 jumps to them. */
export const panels: PanelDefinition[] = [
  { id: 'conversation', label: 'Conversation', component: lazy(async () => ({ default: (await import('../panels/conversation/ConversationPanel')).ConversationPanel })) },
  { id: 'models', label: 'Models', component: lazy(async () => ({ default: (await import('../panels/models/ModelsPanel')).ModelsPanel })) },
  { id: 'voice', label: 'Voice', component: lazy(async () => ({ default: (await import('../panels/voice/VoicePanel')).VoicePanel })) },
  { id: 'databases', label: 'Databases', component: lazy(async () => ({ default: (await import('../panels/databases/DatabasesPanel')).DatabasesPanel })) },
  { id: 'documents', label: 'Documents', component: lazy(async () => ({ default: (await import('../panels/documents/DocumentsPanel')).DocumentsPanel })) },
  { id: 'actions', label: 'Actions', component: lazy(async () => ({ default: (await import('../panels/actions/ActionsPanel')).ActionsPanel })) },
  { id: 'whatsapp', label: 'WhatsApp', component: lazy(async () => ({ default: (await import('../panels/whatsapp/WhatsAppPanel')).WhatsAppPanel })) },
  { id: 'diagnostics', label: 'Diagnostics', component: lazy(async () => ({ default: (await import('../panels/diagnostics/DiagnosticsPanel')).DiagnosticsPanel })) },
];
