/** The contract of the one turn runner every channel goes through (the agent capability implements it). */
export type { TurnRunner, TurnRequest, TurnResult, ChannelTurnConfig, CallerMessage } from './turn-runner';
