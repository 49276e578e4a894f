/** The vector store entry (`vector_stores[]`) of the framework configuration. */
import { z } from 'zod';
import { freeForm, requiredString, secretString } from './common.js';

/**
 * One vector store: `name` and `provider` required; `connection_string` (secret) and
 * `provider_specific` optional. Unknown keys are kept.
 */
export const VectorStoreConfigSchema = z.looseObject({
  name: requiredString().describe('Unique name of this vector store configuration'),
  provider: requiredString().describe('e.g. inmemory, pgvector, pinecone'),
  connection_string: secretString().optional(),
  provider_specific: freeForm().optional(),
});

/** A validated vector store configuration. */
export type VectorStoreConfig = z.output<typeof VectorStoreConfigSchema>;
/** What a config file may hold for a vector store. */
export type VectorStoreConfigInput = z.input<typeof VectorStoreConfigSchema>;
