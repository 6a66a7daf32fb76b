/** The Kafka side of ingest: the consumer that writes to the store, and the producer helpers that publish events. */
export { createKafka, DEFAULT_TOPIC_PARTITIONS, ensureTopics, type KafkaSettings } from './client.ts'
export {
  type BatchingSettings,
  type ConsumerTuning,
  DEFAULT_PARTITIONS_CONCURRENTLY,
  fetchOptions,
  type RunConsumerOptions,
  runConsumer,
} from './consumer.ts'
export { eventProducer, type Published, publishChunks, publishPaced, toMessage } from './produce.ts'
