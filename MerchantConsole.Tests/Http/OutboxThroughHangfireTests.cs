using MerchantConsole.Data;
using MerchantConsole.Messaging;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Http;

/// <summary>The dispatcher run once for real: saved message → after-commit trigger → Hangfire worker → sent.</summary>
[Collection(AppCollection.Name)]
public sealed class OutboxThroughHangfireTests(AppFixture app)
{
    public sealed record Ping(string Text);

    [Fact]
    public async Task ASavedMessageIsDispatchedByHangfireWithinSeconds()
    {
        Guid merchantId;
        await using (var db = app.Factory.CreateUnscopedContext())
            merchantId = (await db.Merchants.FirstAsync(m => m.Code == "aroma-coffee")).Id;

        var message = OutboxMessage.For(merchantId, new Ping("hello"), DateTimeOffset.UtcNow);
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId);
        await using (var db = app.Factory.Services.GetRequiredService<ProviderContextOptions>().Create(scope))
        {
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        DateTimeOffset? sentAt = null;
        while (sentAt is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            await using var db = app.Factory.CreateUnscopedContext();
            sentAt = await db.OutboxMessages.Where(m => m.Id == message.Id).Select(m => m.SentAt).SingleAsync();
        }
        Assert.NotNull(sentAt);
    }
}
