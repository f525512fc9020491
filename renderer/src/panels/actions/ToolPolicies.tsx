import { channelSchema, type ActionTool, type Channel } from '#protocol';
import { requestOrReport } from './actions-queries';

/** Every action tool with who may call it and whether a person approves each call. */
export function ToolPolicies({ tools }: { tools: ActionTool[] }) {
  if (!tools.length) return <p className="empty-state">No action tools yet: import an OpenAPI document or add an MCP server below.</p>;
  const save = (tool: ActionTool, channels: Channel[], confirm: boolean) =>
    void requestOrReport('Actions', 'actions.setPolicy', { tool: tool.name, channels, confirm });
  return (
    <table className="components">
      <thead>
        <tr>
          <th scope="col">Tool</th>
          <th scope="col">Source</th>
          {channelSchema.options.map((channel) => (
            <th scope="col" key={channel}>
              {channel}
            </th>
          ))}
          <th scope="col">Ask first</th>
        </tr>
      </thead>
      <tbody>
        {tools.map((tool) => (
          <tr key={tool.name}>
            <td>
              <span className="model-id">{tool.name}</span>
              <div className="hint">{tool.method ? `${tool.method} ${tool.path} · ` : ''}{tool.description.slice(0, 140)}</div>
            </td>
            <td>
              {tool.kind === 'mcp' ? 'MCP' : 'HTTP'} · {tool.source}
            </td>
            {channelSchema.options.map((channel) => (
              <td key={channel}>
                <input
                  type="checkbox"
                  aria-label={`${tool.name} on ${channel}`}
                  checked={tool.channels.includes(channel)}
                  onChange={(event) =>
                    save(tool, event.target.checked ? [...tool.channels, channel] : tool.channels.filter((entry) => entry !== channel), tool.confirm)
                  }
                />
              </td>
            ))}
            <td>
              <input type="checkbox" aria-label={`Ask before ${tool.name}`} checked={tool.confirm} onChange={(event) => save(tool, tool.channels, event.target.checked)} />
              {!tool.readOnly && !tool.confirm && <span className="warn-text"> changes data</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
