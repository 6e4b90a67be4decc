using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Storefront;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

public sealed class DemoCustomerOptions
{
    public const string Section = "Demo";

    /// <summary>Storefront customers each demo merchant gets (0: none); the benchmark generates far more.</summary>
    public int Customers { get; set; } = 200;
}

/// <summary>
/// Demo customers of each demo merchant, spread over the last 30 days and made through the real services, so a new user
/// sees a living merchant: free sign-ups, gold cards bought on the storefront (order, sandbox payment, signed callback,
/// fulfilment), some of them refunded, orders still awaiting payment and orders that expired unpaid. Runs after the members seed, whose demo
/// plan sells the gold card. Running it again changes nothing (the first demo customer marks a seeded merchant).
/// </summary>
public sealed class OrdersDemo(IServiceScopeFactory scopes, TimeProvider clock, IOptions<DemoCustomerOptions> options, ILogger<OrdersDemo> logger)
    : IDemoMerchantSeed
{
    private const int Days = 30;
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"];

    public async Task SeedAsync(Guid merchantId, string merchantName, CancellationToken cancellationToken)
    {
        var count = options.Value.Customers;
        if (count <= 0)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<MerchantScope>().UseMerchant(merchantId, SystemActors.Demo);
        var contexts = services.GetRequiredService<IDbContextFactory<MerchantDbContext>>();
        var phonePrefix = merchantName.Contains("Coffee", StringComparison.OrdinalIgnoreCase) ? "1371" : "1372";

        MembershipPlan? plan;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Customers.AnyAsync(c => c.Phone == Phone(phonePrefix, 0), cancellationToken))
                return;
            plan = (await db.MembershipPlans.AsNoTracking().WithParts().Where(p => p.Status == PlanStatus.Active).ToListAsync(cancellationToken))
                .OrderBy(p => p.CreatedAt)
                .FirstOrDefault(p => FreeChannel(p) is not null && Product(p) is not null);
        }
        if (plan is null)
        {
            logger.LogInformation("No demo customers for {Merchant}: it has no Active plan with a free channel and a product on sale", merchantName);
            return;
        }
        var (freeTier, freeChannel) = FreeChannel(plan)!.Value;
        var product = Product(plan)!;
        var random = new Random(merchantId.GetHashCode());
        var now = clock.GetUtcNow();
        var sandbox = services.GetRequiredService<SandboxPaymentProvider>();

        for (var i = 0; i < count; i++)
        {
            // Older customers first, so the newest are the newest; a few each day of the last month.
            var at = new ShiftedClock(clock, now.AddDays(-Days * (count - i) / (double)count).AddMinutes(-random.Next(0, 600)) - now);
            var phone = Phone(phonePrefix, i);
            var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];
            var kind = (i % 10) switch
            {
                < 6 => DemoKind.FreeSignup, 6 => DemoKind.Bought, 7 => DemoKind.BoughtThenRefunded, 8 => DemoKind.AwaitingPayment, _ => DemoKind.ExpiredUnpaid,
            };
            if (kind == DemoKind.FreeSignup)
            {
                var enrolment = ActivatorUtilities.CreateInstance<MembershipEnrolment>(services, (TimeProvider)at);
                var joined = await enrolment.EnrolAsync(new EnrolRequest(plan.Id, freeTier.Id, freeChannel.Id, new CustomerDetails(phone, name),
                    EnrolmentSource.SelfService), cancellationToken);
                if (!joined.Succeeded)
                    throw new InvalidOperationException($"Demo customer {phone} could not join: {joined.Refusal?.English}");
                continue;
            }

            var customer = await ActivatorUtilities.CreateInstance<StorefrontCustomers>(services, (TimeProvider)at)
                .FindOrCreateAsync(merchantId, phone, cancellationToken);
            // An order awaiting payment was placed just now; one placed days ago and never paid is expired below by the real job.
            var placedAt = kind == DemoKind.AwaitingPayment ? clock : at;
            var placed = await ActivatorUtilities.CreateInstance<OrderService>(services, placedAt)
                .PlaceAsync(customer.Id, plan.Id, product.Id, $"demo-{i}", cancellationToken);
            if (placed.Order is not { } order)
                throw new InvalidOperationException($"Demo order of {phone} was refused: {placed.Refusal?.English}");
            if (kind is not (DemoKind.Bought or DemoKind.BoughtThenRefunded))
                continue;

            var (body, signature) = sandbox.Callback((await sandbox.FindAsync(order.PaymentId!, cancellationToken))!);
            await ActivatorUtilities.CreateInstance<OrderPayments>(services, ActivatorUtilities.CreateInstance<PaymentRecording>(services, (TimeProvider)at))
                .ReceiveNowAsync(body, signature, cancellationToken);
            await ActivatorUtilities.CreateInstance<OrderFulfilment>(services, (TimeProvider)at).FulfilAsync(merchantId, order.Id, cancellationToken);
            if (kind == DemoKind.BoughtThenRefunded)
                await ActivatorUtilities.CreateInstance<OrderRefunds>(services, (TimeProvider)new ShiftedClock(at, TimeSpan.FromHours(2)))
                    .RefundAsync(merchantId, order.Id, "Changed their mind", SystemActors.Demo, cancellationToken);
        }
        await services.GetRequiredService<OrderExpiryJob>().RunAsync(cancellationToken);
        logger.LogInformation("Seeded {Count} demo customers for {Merchant}", count, merchantName);
    }

    private enum DemoKind { FreeSignup, Bought, BoughtThenRefunded, AwaitingPayment, ExpiredUnpaid }

    private static string Phone(string prefix, int index) => prefix + index.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

    private static (Tier Tier, JoinChannel Channel)? FreeChannel(MembershipPlan plan) =>
        plan.Tiers.Where(t => !plan.IsPendingRevision(t)).OrderBy(t => t.Rank)
            .SelectMany(t => t.JoinChannels.Where(c => c.Type == JoinChannelType.FreeSignup && c.Enabled && !plan.IsPendingRevision(c))
                .Select(c => ((Tier, JoinChannel)?)(t, c)))
            .FirstOrDefault();

    private static MembershipProduct? Product(MembershipPlan plan) =>
        plan.Tiers.Where(t => !plan.IsPendingRevision(t))
            .SelectMany(t => t.JoinChannels).Where(c => c.Type == JoinChannelType.Purchase && c.Enabled && !plan.IsPendingRevision(c))
            .Select(c => c.Product).FirstOrDefault(p => p is { Status: ProductStatus.Active } && !plan.IsPendingRevision(p));

    /// <summary>The real clock moved by a fixed offset: what the services see when a demo customer came by days ago.</summary>
    private sealed class ShiftedClock(TimeProvider clock, TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow() + offset;
    }
}
