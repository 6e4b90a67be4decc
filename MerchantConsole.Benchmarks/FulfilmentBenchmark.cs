using System.Diagnostics;
using System.Net.Http.Headers;
using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Orders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Benchmarks;

/// <summary>
/// N paid orders fulfilled from signed callbacks (every <c>duplicateEvery</c>-th order's callback sent twice) against the
/// real app in this process, over loopback: callbacks/s and answer p95, orders fulfilled per second, callback-to-card p95.
/// Usage: dotnet run -c Release --project MerchantConsole.Benchmarks -- fulfil [orders=10000] [concurrency=16] [duplicateEvery=4] [warmUp=0]
///        [--provider PostgreSql --connection "Host=…"] (PostgreSQL: then also the same rows written by raw SQL, BenchRawFulfilment)
/// </summary>
public static class FulfilmentBenchmark
{
    internal static async Task RunAsync(BenchOptions options)
    {
        var args = options.Positional;
        var orderCount = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
        var duplicateEvery = args.Length > 2 ? int.Parse(args[2]) : 4;
        // Orders of another plan sent first and not counted: a server runs for days, and in its first half minute the
        // runtime is still compiling its hot methods again, optimised, on one of the two cores.
        var warmUp = args.Length > 3 ? int.Parse(args[3]) : 0;
        await using var database = await BenchDatabase.CreateAsync(options, "fulfil");
        var factory = new BenchApp(database);
        var baseUrl = factory.Start();
        try
        {
            var services = factory.Services;
            var contexts = services.GetRequiredService<ProviderContextOptions>();
            var sandbox = services.GetRequiredService<SandboxPaymentProvider>();
            Console.WriteLine($"Fulfilment benchmark — {Environment.ProcessorCount} cores, {orderCount:N0} orders, {concurrency} concurrent senders, "
                + $"every {duplicateEvery}th callback twice; app at {baseUrl}, {database.Description}");

            // Everything is arranged before the warm-up: new code run after it (the arranging) would hold back the
            // runtime's recompiling of the hot methods until the measured run, on the same two cores.
            var sw = Stopwatch.StartNew();
            var (merchantId, planId, orders) = await ArrangeAsync(contexts, sandbox, orderCount);
            var callbacks = await CallbacksAsync(sandbox, orders);
            Console.WriteLine($"arranged a plan with an on-join coupon and {orderCount:N0} pending orders in {sw.Elapsed.TotalSeconds:F1} s");
            if (warmUp > 0)
            {
                var (warmMerchant, warmPlan, warmOrders) = await ArrangeAsync(contexts, sandbox, warmUp, key: "warm-up", phonePrefix: "165");
                var warmCallbacks = await CallbacksAsync(sandbox, warmOrders);
                Console.WriteLine($"warm-up, not counted: {warmUp:N0} orders of another plan");
                await SendAndCheckAsync(contexts, warmMerchant, warmPlan, warmOrders, warmCallbacks, [baseUrl], concurrency, duplicateEvery);
                // Lets the runtime finish, in the background, the optimised recompiles the warm-up asked for (a server running for days has).
                await Task.Delay(TimeSpan.FromSeconds(3));
                Console.WriteLine("measured:");
            }

            var figures = await SendAndCheckAsync(contexts, merchantId, planId, orders, callbacks, [baseUrl], concurrency, duplicateEvery);
            if (database.IsPostgreSql)
                await BenchRawFulfilment.CompareAsync(contexts, sandbox, orderCount, figures.OrdersPerSecond);
            Console.WriteLine($"process: working set {Environment.WorkingSet / 1024 / 1024:N0} MiB");
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }

    private static async Task<List<(int Order, byte[] Body, string Signature)>> CallbacksAsync(SandboxPaymentProvider sandbox, List<(Guid Id, string PaymentId)> orders)
    {
        var callbacks = new List<(int Order, byte[] Body, string Signature)>();
        for (var i = 0; i < orders.Count; i++)
        {
            var (body, signature) = sandbox.Callback((await sandbox.FindAsync(orders[i].PaymentId))!);
            callbacks.Add((i, body, signature));
        }
        return callbacks;
    }

    /// <summary>What one run measured, for the nodes comparison.</summary>
    internal sealed record FulfilFigures(double CallbacksPerSecond, double AnswerP95, double OrdersPerSecond, double ToCardP95, bool ExactlyOnce);

    /// <summary>
    /// Sends every order's callback (every <paramref name="duplicateEvery"/>-th twice, the copy a little later) from
    /// <paramref name="concurrency"/> senders, order i's to node i mod n and its copy to the next node; waits until every
    /// order is Fulfilled and the new members' MemberJoined messages are delivered, and checks exactly once.
    /// </summary>
    internal static async Task<FulfilFigures> SendAndCheckAsync(ProviderContextOptions contexts, Guid merchantId, Guid planId,
        List<(Guid Id, string PaymentId)> orders, List<(int Order, byte[] Body, string Signature)> firstCallbacks, IReadOnlyList<string> baseUrls,
        int concurrency, int duplicateEvery)
    {
        FulfilFigures figures;
        var sw = new Stopwatch();
        {
            var callbacks = firstCallbacks.Select(c => (c.Order, c.Body, c.Signature, Node: c.Order % baseUrls.Count)).ToList();
            // The duplicates arrive a little later, among other orders' first callbacks, at the other node.
            for (var i = 0; i < orders.Count; i += duplicateEvery)
                callbacks.Insert(Math.Min(callbacks.Count, i + duplicateEvery * 8 + 1), callbacks[i] with { Node = (callbacks[i].Node + 1) % baseUrls.Count });

            var clients = baseUrls.Select(url => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(url) }).ToList();
            var firstAnswered = new DateTimeOffset?[orders.Count];
            var answers = new double[callbacks.Count];
            var failures = 0;
            var next = -1;
            var start = DateTimeOffset.UtcNow;
            sw.Restart();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < callbacks.Count)
                {
                    var (order, body, signature, node) = callbacks[index];
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    content.Headers.Add(PaymentSignatures.Header, signature);
                    var sent = Stopwatch.GetTimestamp();
                    using var response = await clients[node].PostAsync(OrdersSetup.CallbackPath, content);
                    answers[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode)
                        Interlocked.Increment(ref failures);
                    lock (firstAnswered)
                        firstAnswered[order] ??= DateTimeOffset.UtcNow;
                }
            }));
            var sending = sw.Elapsed;
            clients.ForEach(c => c.Dispose());
            Array.Sort(answers);
            Console.WriteLine($"callbacks: {callbacks.Count:N0} ({callbacks.Count - orders.Count:N0} duplicates) answered in {sending.TotalSeconds:F1} s "
                + $"({callbacks.Count / sending.TotalSeconds:N0}/s), {failures} not 200; answer p50 {Percentile(answers, 0.50):F1} ms, "
                + $"p95 {Percentile(answers, 0.95):F1} ms, p99 {Percentile(answers, 0.99):F1} ms");

            var ids = orders.Select(o => o.Id).ToHashSet();
            var timeout = DateTime.UtcNow.AddMinutes(30);
            int fulfilled;
            do
            {
                await Task.Delay(500);
                await using var db = contexts.CreateForMerchant(merchantId, "bench");
                fulfilled = await db.Orders.CountAsync(o => o.Status == OrderStatus.Fulfilled && o.PlanId == planId);
            } while (fulfilled < orders.Count && DateTime.UtcNow < timeout);

            await using (var db = contexts.CreateForMerchant(merchantId, "bench"))
            {
                var done = await db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.Fulfilled && o.PlanId == planId)
                    .Select(o => new { o.Id, o.FulfilledAt }).ToListAsync();
                var byId = orders.Select((o, i) => (o.Id, i)).ToDictionary(x => x.Id, x => x.i);
                var toCard = done.Where(d => ids.Contains(d.Id) && firstAnswered[byId[d.Id]] is not null)
                    .Select(d => (d.FulfilledAt!.Value - firstAnswered[byId[d.Id]]!.Value).TotalMilliseconds).Order().ToArray();
                var last = done.Max(d => d.FulfilledAt!.Value);
                var memberships = await db.Memberships.CountAsync(m => m.PlanId == planId);
                var coupons = await db.Coupons.CountAsync(c => db.Memberships.Any(m => m.Id == c.MembershipId && m.PlanId == planId));
                var fulfilledLines = await db.OrderLedger.CountAsync(e => e.Kind == OrderLedgerKind.Fulfilled && ids.Contains(e.OrderId));
                var received = await db.OrderLedger.CountAsync(e => e.Kind == OrderLedgerKind.PaymentReceived && ids.Contains(e.OrderId));
                Console.WriteLine($"fulfilled {done.Count:N0}/{orders.Count:N0} orders in {(last - start).TotalSeconds:F1} s from the first callback: "
                    + $"{done.Count / (last - start).TotalSeconds:N0} orders/s; callback-to-card p50 {Percentile(toCard, 0.50):F0} ms, "
                    + $"p95 {Percentile(toCard, 0.95):F0} ms, p99 {Percentile(toCard, 0.99):F0} ms");
                var exactlyOnce = memberships == orders.Count && coupons == orders.Count && fulfilledLines == orders.Count;
                Console.WriteLine($"check: {memberships:N0} memberships, {coupons:N0} coupons, {fulfilledLines:N0} Fulfilled ledger lines, "
                    + $"{received:N0} callbacks recorded (exactly once: {(exactlyOnce ? "yes" : "NO")})");
                figures = new FulfilFigures(callbacks.Count / sending.TotalSeconds, Percentile(answers, 0.95), done.Count / (last - start).TotalSeconds,
                    Percentile(toCard, 0.95), exactlyOnce);
            }
            // The MemberJoined messages of the new members are delivered by the outbox dispatcher meanwhile; each must issue nothing.
            await using (var db = contexts.CreateForMerchant(merchantId, "bench"))
            {
                var memberIds = await db.Memberships.Where(m => m.PlanId == planId).Select(m => m.Id).ToListAsync();
                int waiting;
                do
                {
                    waiting = await db.OutboxMessages.CountAsync(m => m.SentAt == null && m.CorrelationId != null && memberIds.Contains(m.CorrelationId.Value));
                    if (waiting > 0)
                        await Task.Delay(500);
                } while (waiting > 0 && DateTime.UtcNow < timeout);
                var coupons = await db.Coupons.CountAsync(c => db.Memberships.Any(m => m.Id == c.MembershipId && m.PlanId == planId));
                Console.WriteLine($"outbox: every MemberJoined delivered {(DateTimeOffset.UtcNow - start).TotalSeconds:F1} s after the first callback "
                    + $"({waiting:N0} left); coupons after delivery {coupons:N0} (issued nothing more: {(coupons == orders.Count ? "yes" : "NO")})");
            }
        }
        return figures;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];

    /// <summary>
    /// A plan of the first demo merchant with one on-join coupon benefit, and N customers each with a Pending order and its
    /// sandbox payment (without a sandbox, as the app's nodes run: only the payment id the sandbox would give, <c>sbx_</c> + the order id).
    /// </summary>
    internal static async Task<(Guid MerchantId, Guid PlanId, List<(Guid Id, string PaymentId)> Orders)> ArrangeAsync(ProviderContextOptions contexts,
        SandboxPaymentProvider? sandbox, int count, string key = "bench", string phonePrefix = "166")
    {
        Guid merchantId;
        Guid cardVersion;
        await using (var across = contexts.CreateAcrossMerchants("bench"))
        {
            var plan = await across.MembershipPlans.AsNoTracking().FirstAsync(p => p.CardTemplateVersionId != null);
            (merchantId, cardVersion) = (plan.MerchantId, plan.CardTemplateVersionId!.Value);
        }
        var now = DateTimeOffset.UtcNow;
        Guid planId, tierId, channelId, productId;
        await using (var db = contexts.CreateForMerchant(merchantId, "bench"))
        {
            var plan = MembershipPlan.Create(merchantId, "Bench club", null, "CNY", now);
            plan.ChooseCardTemplateVersion(cardVersion, now);
            plan.SetValidity(ValidityPolicy.FixedDays, 365, null, now);
            var tier = plan.AddTier("Gold", "#FFD700", UpgradeRule.None, null, TierValidity.Permanent, null, now);
            var channel = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, now);
            var product = plan.AddProduct(channel.Id, "Gold yearly", new Money(19_900, "CNY"), 1, DurationUnit.Years, null, null, RenewalRule.ManualRenewal, now);
            plan.BeginActivation(now);
            plan.MarkProductsPending(now);
            plan.MarkActive(now);
            plan.MarkProductsActive(now);
            db.MembershipPlans.Add(plan);
            (planId, tierId, channelId, productId) = (plan.Id, tier.Id, channel.Id, product.Id);

            var terms = new CouponTerms
            {
                Kind = CouponKind.CashOff, Currency = "CNY", FaceValueMinorUnits = 2000, MinimumSpendMinorUnits = 10000,
                Validity = CouponValidity.AfterIssue(30),
            };
            var template = CouponTemplate.Create(merchantId, "Welcome", terms, "bench", now);
            var version = template.Publish("bench", now);
            var activity = MerchantConsole.Domain.Coupons.Activity.Create(merchantId, "Welcome", now.AddDays(-1), null, "bench", now);
            var couponActivity = activity.AddCouponActivity(version, IssuingRule.OnJoin, count * 2, "bench", now);
            activity.MakeEffective("bench", now);
            var from = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
            var benefit = Benefit.Create(plan, "Welcome", [], BenefitKind.Coupon, from, "bench", now);
            benefit.ChangeDraft(v => v.SetCoupon(activity.Id, version.Id, IssuingRule.OnJoin, count * 2), "bench", now);
            var activating = benefit.BeginActivation("bench", now);
            activating.RecordActivity(activity.Id);
            activating.RecordCouponActivity(couponActivity.Id);
            benefit.Bind(activating.Id, from.AddDays(1), now);
            db.CouponTemplates.Add(template);
            db.Activities.Add(activity);
            db.Benefits.Add(benefit);
            await db.SaveChangesAsync();
        }

        var orders = new List<(Guid, string)>(count);
        for (var batch = 0; batch < count; batch += 1000)
        {
            await using var db = contexts.CreateForMerchant(merchantId, "bench");
            for (var i = batch; i < Math.Min(count, batch + 1000); i++)
            {
                var customer = Customer.Create(merchantId, $"{phonePrefix}{i:00000000}", $"Bench {i}", null, null, now);
                db.Customers.Add(customer);
                var order = Order.Place(merchantId, customer.Id, planId, tierId, channelId, productId, new Money(19_900, "CNY"),
                    $"{key}-{i}", false, now, TimeSpan.FromHours(2));
                var paymentId = sandbox is null ? "sbx_" + order.Id.ToString("N")
                    : (await sandbox.CreatePaymentAsync(new PaymentRequest(merchantId, order.Id, order.Price))).PaymentId;
                order.AttachPayment(paymentId, now);
                db.Orders.Add(order);
                orders.Add((order.Id, paymentId));
            }
            await db.SaveChangesAsync();
        }
        return (merchantId, planId, orders);
    }

    /// <summary>
    /// The real app (Testing environment, demo merchants) on a loopback port, with its own data folder. Any type of the
    /// app's assembly names its entry point (this project has a Program of its own).
    /// </summary>
    private sealed class BenchApp(BenchDatabase database) : WebApplicationFactory<OrderFulfilment>
    {
        public string Start()
        {
            UseKestrel(0);
            StartServer();
            var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
            return addresses.Addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in database.AppSettings())
                builder.UseSetting(key, value);
            builder.UseSetting("Database:SeedDemoData", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Telemetry:Exporter", "None");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
            builder.UseSetting("App:PublicBaseUrl", "https://bench.example.test");
            foreach (var setting in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("BENCH_", StringComparison.Ordinal)))
                builder.UseSetting(setting["BENCH_".Length..].Replace("__", ":"), Environment.GetEnvironmentVariable(setting));
        }
    }
}
