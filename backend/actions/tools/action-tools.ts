import { ParleyError, type ActionTool, type Channel } from '#protocol';
import { toDisposable, type Disposable } from '../../base';
import type { PublishEvent } from '../../platform/events';
import type { Logger } from '../../platform/observability';
import type { AgentTool, ToolContext, ToolOutput, ToolRegistry } from '../../platform/tools';
import type { AuditLog } from '../audit/audit-log';
import { maskKnownValues, maskSecrets } from '../audit/mask-secrets';
import type { ConfirmationCenter } from '../../platform/confirmations';
import type { ToolPolicies } from '../policy/tool-policies';
import { ActionCallError, type ActionDefinition } from './action-definition';
import { compileArgumentCheck, type ArgumentCheck } from './argument-validator';

export interface ActionToolsDependencies {
  registry: ToolRegistry;
  policies: ToolPolicies;
  confirmations: ConfirmationCenter;
  audit: AuditLog;
  logger: Logger;
  publish: PublishEvent;
  /** Read on every call: the setting can change while tools are registered. */
  confirmationTimeoutMs(): number;
}

interface Entry {
  definition: ActionDefinition;
  registration: Disposable;
}

/**
 * The action tools in the agent's registry. Each call goes: arguments checked against the
 * schema → the channel's policy → approval when the tool needs it → the call → one audit row,
 * whatever happened. The agent loop sees an ordinary tool; approval is the tool waiting.
 */
export class ActionTools {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly deps: ActionToolsDependencies) {}

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Whether any tool of the agent (an action or another capability's) already has this name. */
  isTaken(name: string): boolean {
    return this.entries.has(name) || this.deps.registry.all().some((tool) => tool.name === name);
  }

  /** Registers the tool with the agent; disposing removes it (the MCP server went, the source was removed). */
  add(definition: ActionDefinition): Disposable {
    const tool = this.toAgentTool(definition);
    const registration = this.deps.registry.register(tool);
    this.entries.set(definition.name, { definition, registration });
    return toDisposable(() => {
      if (this.entries.get(definition.name)?.definition !== definition) return;
      this.entries.delete(definition.name);
      registration.dispose();
    });
  }

  list(): ActionTool[] {
    return [...this.entries.values()].map(({ definition }) => this.describe(definition));
  }

  find(name: string): ActionTool | undefined {
    const entry = this.entries.get(name);
    return entry ? this.describe(entry.definition) : undefined;
  }

  private describe(definition: ActionDefinition): ActionTool {
    const policy = this.deps.policies.get(definition.name, definition.readOnly);
    return {
      name: definition.name,
      kind: definition.kind,
      source: definition.source,
      description: definition.description,
      method: definition.method,
      path: definition.path,
      channels: policy.channels,
      confirm: policy.confirm,
      readOnly: definition.readOnly,
      parameters: definition.parameters,
    };
  }

  private toAgentTool(definition: ActionDefinition): AgentTool {
    const check = compileArgumentCheck(definition.name, definition.parameters);
    const { policies } = this.deps;
    const confirmationTimeoutMs = () => this.deps.confirmationTimeoutMs();
    return {
      name: definition.name,
      description: definition.description,
      parameters: definition.parameters,
      // Getters: the registry and the loop read the operator's current choice on every turn.
      get channels() {
        return policies.get(definition.name, definition.readOnly).channels;
      },
      get timeoutMs() {
        const waiting = policies.get(definition.name, definition.readOnly).confirm ? confirmationTimeoutMs() : 0;
        // A margin so the call's own timeout (a clearer message) fires before the loop's.
        return definition.timeoutMs + waiting + 1_000;
      },
      call: (args, context) => this.call(definition, check, args, context),
    };
  }

  private async call(definition: ActionDefinition, check: ArgumentCheck, args: unknown, context: ToolContext): Promise<ToolOutput> {
    const started = performance.now();
    const secrets = definition.knownSecrets();
    const maskedArgs = maskSecrets(args, secrets);
    const audit = (status: 'ok' | 'failed' | 'refused' | 'rejected', error?: unknown, httpStatus?: number) => {
      const message = error === undefined ? null : maskKnownValues(error instanceof Error ? error.message : String(error), secrets);
      const durationMs = Math.round(performance.now() - started);
      this.deps.audit.record({
        channel: context.channel,
        actor: context.conversationId ?? null,
        tool: definition.name,
        arguments: maskedArgs,
        status,
        httpStatus: httpStatus ?? null,
        error: message,
        durationMs,
      });
      // Tool, status and timing only: arguments and answers stay in the audit, masked.
      const fields = { tool: definition.name, channel: context.channel, status, httpStatus, durationMs, error: message ?? undefined };
      if (status === 'ok') this.deps.logger.info(fields, 'action call');
      else this.deps.logger.warn(fields, 'action call did not succeed');
    };

    const policy = this.deps.policies.get(definition.name, definition.readOnly);
    if (!policy.channels.includes(context.channel)) {
      const refusal = new ParleyError('forbidden', `${definition.name} is not allowed on the ${context.channel} channel`, {
        hint: 'An operator can allow it in Actions → the tool → channels.',
      });
      audit('refused', refusal);
      throw refusal;
    }
    try {
      check(args);
    } catch (error) {
      audit('refused', error);
      throw error;
    }
    if (policy.confirm) {
      const refusal = await this.confirm(definition, maskedArgs, context);
      if (refusal) {
        audit(refusal.status, refusal.error);
        throw refusal.error;
      }
    }
    try {
      const result = await definition.invoke(args as Record<string, unknown>, context.signal);
      audit('ok', undefined, result.httpStatus);
      return { data: result.data, source: definition.source };
    } catch (error) {
      audit('failed', error, error instanceof ActionCallError ? error.httpStatus : undefined);
      // The model reads this message: it must not carry a credential either.
      const message = maskKnownValues(error instanceof Error ? error.message : String(error), secrets);
      // No cause attached on purpose: the original error's message may hold the credential.
      throw error instanceof ParleyError ? new ParleyError(error.code, message) : new Error(message);
    }
  }

  /** Undefined once approved; otherwise the refusal the model reads and how the audit files it. */
  private async confirm(
    definition: ActionDefinition,
    maskedArgs: unknown,
    context: ToolContext,
  ): Promise<{ status: 'rejected' | 'refused'; error: ParleyError } | undefined> {
    if (!this.deps.confirmations.canConfirmOn(context.channel)) {
      const error = new ParleyError('forbidden', `${definition.name} changes data and needs a person's approval, which the ${describeChannel(context.channel)} cannot give`, {
        hint: `An operator can turn confirmation off for ${definition.name} (actions.setPolicy) to let this channel call it.`,
      });
      return { status: 'refused', error };
    }
    const outcome = await this.deps.confirmations.request({
      source: 'actions',
      tool: definition.name,
      summary: summariseCall(definition, maskedArgs),
      arguments: maskedArgs,
      channel: context.channel,
      conversationId: context.conversationId,
      signal: context.signal,
    });
    if (outcome === 'approved') return undefined;
    const why = {
      rejected: `${context.channel === 'whatsapp' ? 'The contact declined' : 'The operator rejected'} the call; nothing was done. Ask the user what to change.`,
      expired: 'Nobody approved the call in time; nothing was done.',
      cancelled: 'The turn was stopped before the call was approved; nothing was done.',
    }[outcome];
    const error = new ParleyError(outcome === 'rejected' ? 'forbidden' : 'cancelled', `${definition.name}: ${why}`);
    return { status: outcome === 'rejected' ? 'rejected' : 'refused', error };
  }
}

/** "createBooking: serviceId oil-change, plate AB-123-CD, customerName Ann Lee" — what a person reads before saying yes. */
function summariseCall(definition: ActionDefinition, args: unknown): string {
  const leaves: string[] = [];
  const collect = (value: unknown, key: string | undefined) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) collect(child, childKey);
    } else if (value !== undefined && value !== null) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      leaves.push(key ? `${key} ${text}` : text);
    }
  };
  collect(args, undefined);
  const summary = leaves.length ? `${definition.name}: ${leaves.join(', ')}` : definition.name;
  return summary.length > 300 ? `${summary.slice(0, 299)}…` : summary;
}

function describeChannel(channel: Channel): string {
  return channel === 'api' ? 'API channel (no one there to ask)' : `${channel} channel`;
}
