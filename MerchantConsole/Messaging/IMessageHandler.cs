using MerchantConsole.Data;

namespace MerchantConsole.Messaging;

/// <summary>
/// Reacts to one kind of outbox message. The dispatcher gives it a context already scoped to the
/// message's merchant and saves the handler's changes together with its inbox entry, so the
/// effect happens once however often the message is delivered.
/// </summary>
public interface IMessageHandler
{
    string MessageType { get; }
    /// <summary>Stable name: part of the inbox key, so renaming it replays old messages.</summary>
    string Name { get; }
    Task HandleAsync(OutboxMessage message, MerchantDbContext db, CancellationToken cancellationToken);
}

public abstract class MessageHandler<TMessage> : IMessageHandler where TMessage : notnull
{
    public string MessageType => OutboxMessage.MessageTypeName<TMessage>();
    public virtual string Name => GetType().Name;

    public Task HandleAsync(OutboxMessage message, MerchantDbContext db, CancellationToken cancellationToken) =>
        HandleAsync(message.Read<TMessage>(), message, db, cancellationToken);

    protected abstract Task HandleAsync(TMessage message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken);
}
