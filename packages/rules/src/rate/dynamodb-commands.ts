// The two names the counter store uses. Imported dynamically through this module rather than the package
// itself, so the bundler keeps only them: `import('@aws-sdk/client-dynamodb')` asks for the whole namespace,
// which keeps the aggregated client and every command in the chunk.
export { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
