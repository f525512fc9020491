/** LLM providers as server state, shared by the Models panel and the Voice panel's remote engines. */
export { useProviders, useProviderModels } from './provider-queries';
export { ModelRefPicker } from './ModelRefPicker';
