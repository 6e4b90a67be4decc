using System.Text.Json;

namespace MerchantConsole.Messaging;

/// <summary>
/// A message caused by a state change, stored in the same transaction as that change so it exists
/// exactly when the change does. The dispatcher delivers it to the registered handlers later.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxErrorLength = 4000;

    public Guid Id { get; private set; }
    /// <summary>The merchant whose data the handlers act on; handlers run scoped to it.</summary>
    public Guid MerchantId { get; private set; }
    public string Type { get; private set; } = "";
    public string Payload { get; private set; } = "";
    /// <summary>
    /// The workflow record this message belongs to (a workflow run's id), so its sender finds the messages it is
    /// waiting for by an indexed column instead of searching payload text; null when nothing waits for it.
    /// </summary>
    public Guid? CorrelationId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>Set by the conditional update that claims the row, so two workers never take it together.</summary>
    public Guid? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedUntil { get; private set; }

    private OutboxMessage() { }

    public static OutboxMessage For<T>(Guid merchantId, T message, DateTimeOffset now, Guid? correlationId = null) where T : notnull => new()
    {
        Id = Guid.CreateVersion7(now),
        MerchantId = merchantId,
        Type = MessageTypeName<T>(),
        Payload = JsonSerializer.Serialize(message),
        CorrelationId = correlationId,
        OccurredAt = now,
        NextAttemptAt = now,
    };

    public static string MessageTypeName<T>() => typeof(T).Name;

    /// <summary>
    /// Its producer applied every handler of its type in the same transaction (their inbox entries say so): it is written
    /// as sent, and no dispatch runs for it. A handler registered later does not see it, as with any delivered message.
    /// </summary>
    public void DeliveredByProducer(DateTimeOffset now) => SentAt = now;

    public T Read<T>() => JsonSerializer.Deserialize<T>(Payload)
        ?? throw new InvalidOperationException($"Outbox message {Id} has an empty payload.");
}

/// <summary>Records that a handler has applied a message, in the same transaction as its effect.</summary>
public sealed class InboxEntry
{
    public Guid MessageId { get; set; }
    public string Handler { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}
