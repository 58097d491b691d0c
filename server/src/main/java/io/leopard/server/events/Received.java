package io.leopard.server.events;

import com.rabbitmq.client.AMQP;

/**
 * One delivery, as the consumer handed it to the worker.
 *
 * @param tag        its delivery tag on the channel it came on
 * @param generation which connection it came on: after a reconnect, a tag of an earlier one means
 *                   nothing (the broker redelivers that event), so it is never acknowledged
 */
record Received(long tag, long generation, byte[] body, AMQP.BasicProperties properties) {
}
