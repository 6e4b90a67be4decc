using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Grants;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Grants;
using MerchantConsole.Features.Orders;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Messaging;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>
/// Two app processes on one PostgreSQL database (issue 10, "Proven with two nodes"): callbacks spread over both nodes,
/// a node killed (kill -9) in the middle of a workflow step or a grant, redemptions racing through both nodes, a cookie
/// read by the other node, and a circuit that only its own node knows. Skipped without a PostgreSQL server.
/// </summary>
public sealed class TwoNodesTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    private const string Merchant = "aroma-coffee";
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task FiveThousandPaidOrdersWhoseCallbacksReachBothNodesTwiceAreFulfilledExactlyOnce()
    {
        cluster.Require();
        await cluster.EnsureBothRunningAsync();
        const int count = 5_000;
        var sale = await ArrangeOrdersAsync(count);
        var signatures = new PaymentSignatures(Options.Create(new SandboxPaymentOptions { Secret = TwoNodeCluster.PaymentSecret }));
        // Every order's callback goes first to one node and, 40 callbacks later, the same signed callback to the other.
        var firsts = sale.Orders.Select((o, i) => (Node: i % 2, Order: o)).ToList();
        var sends = new List<(int Node, byte[] Body, string Signature)>();
        for (var i = 0; i < firsts.Count + 40; i++)
        {
            if (i < firsts.Count)
                sends.Add(Signed(firsts[i].Node, firsts[i].Order));
            if (i >= 40)
                sends.Add(Signed(1 - firsts[i - 40].Node, firsts[i - 40].Order));
        }
        (int, byte[], string) Signed(int node, PendingOrder order)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new PaymentCallback(order.PaymentId, sale.MerchantId, order.Id, order.Price.MinorUnits,
                order.Price.Currency, DateTimeOffset.UtcNow), JsonSerializerOptions.Web);
            return (node, body, signatures.Sign(body));
        }

        var clients = cluster.Nodes.Select(n => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 })
            { BaseAddress = new Uri(n.BaseAddress), Timeout = TimeSpan.FromSeconds(100) }).ToArray();
        var answers = new HttpStatusCode[sends.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < sends.Count)
            {
                var (node, body, signature) = sends[index];
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                content.Headers.Add(PaymentSignatures.Header, signature);
                using var response = await clients[node].PostAsync(OrdersSetup.CallbackPath, content);
                answers[index] = response.StatusCode;
            }
        }));
        foreach (var client in clients)
            client.Dispose();
        var ids = sale.Orders.Select(o => o.Id).ToList();
        await WaitUntilAsync(async db => await db.Orders.CountAsync(o => o.PlanId == sale.PlanId && o.Status == OrderStatus.Fulfilled) == count,
            sale.MerchantId, TimeSpan.FromMinutes(4), "every order Fulfilled");
        // The new members' MemberJoined messages are delivered too (by either node): each must find its coupon issued.
        await WaitUntilAsync(async db => !await db.OutboxMessages.AnyAsync(m => m.SentAt == null && m.Type == "MemberJoined"),
            sale.MerchantId, TimeSpan.FromMinutes(2), "every MemberJoined delivered");

        Assert.Equal(sends.Count, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(2 * count, sends.Count);
        await using var check = cluster.Contexts.CreateForMerchant(sale.MerchantId, "test");
        var members = await check.Memberships.AsNoTracking().Where(m => m.PlanId == sale.PlanId)
            .Select(m => new { m.Id, m.CustomerId, m.CardNumber }).ToListAsync();
        Assert.Equal(count, members.Count);
        Assert.Equal(count, members.Select(m => m.CustomerId).Distinct().Count());
        Assert.Equal(count, members.Select(m => m.CardNumber).Distinct().Count());
        var orders = await check.Orders.AsNoTracking().Where(o => o.PlanId == sale.PlanId).Select(o => o.MembershipId).ToListAsync();
        Assert.Equal(members.Select(m => (Guid?)m.Id).Order(), orders.Order());
        var memberIds = members.Select(m => m.Id).ToList();
        var couponsPerMember = await check.Coupons.AsNoTracking().Where(c => memberIds.Contains(c.MembershipId))
            .GroupBy(c => c.MembershipId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(count, couponsPerMember.Count);
        Assert.All(couponsPerMember, n => Assert.Equal(1, n));
        Assert.Equal(count, (await check.Set<CouponActivity>().AsNoTracking().SingleAsync(a => a.Id == sale.CouponActivityId)).Issued);
        var ledger = await check.OrderLedger.AsNoTracking().Where(e => ids.Contains(e.OrderId))
            .GroupBy(e => new { e.OrderId, e.Kind }).Select(g => new { g.Key.Kind, Count = g.Count() }).ToListAsync();
        Assert.Equal(count, ledger.Count(l => l.Kind == OrderLedgerKind.Fulfilled && l.Count == 1));
        Assert.Equal(count, ledger.Count(l => l.Kind == OrderLedgerKind.CardIssued && l.Count == 1));
        Assert.Equal(count, ledger.Count(l => l.Kind == OrderLedgerKind.PaymentReceived && l.Count == 2));
        Assert.DoesNotContain(ledger, l => l.Kind is OrderLedgerKind.Fulfilled or OrderLedgerKind.CardIssued or OrderLedgerKind.CouponsIssued && l.Count != 1);
        Assert.Equal(count, await check.MemberCounts.Where(c => c.PlanId == sale.PlanId && c.Status == MembershipStatus.Active).SumAsync(c => c.Count));
    }

    [Fact]
    public async Task APlanActivationAndABenefitActivationFinishOnTheOtherNodeAfterTheNodeRunningThemIsKilledMidStep()
    {
        cluster.Require();
        await cluster.EnsureBothRunningAsync();
        var merchantId = await MerchantIdAsync();

        // The plan: its ProductsPending step's first attempt holds its Hangfire job; the node holding it is killed there.
        var planId = await ArrangeDraftPlanAsync(merchantId, $"Two nodes plan {TwoNodeCluster.PauseMarker} {Guid.NewGuid():N}");
        var planRunId = await PlanActivation(merchantId).StartActivationAsync(planId);
        var planHolder = await cluster.NodePausedAtAsync(planRunId.ToString(), TimeSpan.FromSeconds(60));
        await planHolder.KillAsync();
        var killedMidStep = await RunAsync(merchantId, planRunId);
        var planRun = await AwaitRunAsync(merchantId, planRunId);
        await cluster.EnsureBothRunningAsync();

        // The benefit: its CouponActivity step likewise, on whichever node takes it now.
        var (sale, templateVersionId) = await ArrangeOnSalePlanAsync(merchantId, onJoinBudget: null);
        var benefits = BenefitService(merchantId);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var created = await benefits.CreateAsync(sale.PlanId, $"Welcome {TwoNodeCluster.PauseMarker}", [], BenefitKind.Coupon);
        Assert.True(created.Succeeded, created.Refusal?.English);
        var saved = await benefits.SaveSettingsAsync(created.Id!.Value,
            new BenefitSettings(today, TemplateVersionId: templateVersionId, Rule: IssuingRule.OnJoin, Budget: 1000));
        Assert.True(saved.Succeeded, saved.Refusal?.English);
        var benefitRunId = await benefits.ActivateAsync(created.Id.Value);
        var benefitHolder = await cluster.NodePausedAtAsync(benefitRunId.ToString(), TimeSpan.FromSeconds(60));
        await benefitHolder.KillAsync();
        var benefitKilledMidStep = await RunAsync(merchantId, benefitRunId);
        var benefitRun = await AwaitRunAsync(merchantId, benefitRunId);

        Assert.Equal((WorkflowRunStatus.Running, WorkflowStepStatus.Running, 1),
            (killedMidStep.Status, killedMidStep.Steps.Single(s => s.Name == TwoNodeCluster.PausedPlanStep).Status,
                killedMidStep.Steps.Single(s => s.Name == TwoNodeCluster.PausedPlanStep).Attempts));
        Assert.Equal(WorkflowRunStatus.Succeeded, planRun.Status);
        // The killed attempt timed out when the other node ran the job again; the second attempt did the work once.
        Assert.Equal(2, planRun.Steps.Single(s => s.Name == TwoNodeCluster.PausedPlanStep).Attempts);
        await using (var db = cluster.Contexts.CreateForMerchant(merchantId, "test"))
        {
            var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == planId);
            Assert.Equal(PlanStatus.Active, plan.Status);
            Assert.All(plan.Products, p => Assert.Equal(ProductStatus.Active, p.Status));
        }

        Assert.Equal((WorkflowRunStatus.Running, WorkflowStepStatus.Running),
            (benefitKilledMidStep.Status, benefitKilledMidStep.Steps.Single(s => s.Name == TwoNodeCluster.PausedBenefitStep).Status));
        Assert.Equal(WorkflowRunStatus.Succeeded, benefitRun.Status);
        Assert.Equal(2, benefitRun.Steps.Single(s => s.Name == TwoNodeCluster.PausedBenefitStep).Attempts);
        await using (var db = cluster.Contexts.CreateForMerchant(merchantId, "test"))
        {
            var benefit = await db.Benefits.AsNoTracking().Include(b => b.Versions).SingleAsync(b => b.Id == created.Id.Value);
            var version = Assert.Single(benefit.Versions);
            Assert.Equal(BenefitVersionStatus.Active, version.Status);
            var couponActivities = await db.Set<CouponActivity>().AsNoTracking().Where(a => a.ActivityId == version.ActivityId).ToListAsync();
            var couponActivity = Assert.Single(couponActivities);
            Assert.Equal((version.CouponActivityId, CouponActivityStatus.Effective), (couponActivity.Id, couponActivity.Status));
        }
    }

    [Fact]
    public async Task AGrantJobRunningOnAKilledNodeFinishesOnTheOtherWithEveryMemberGrantedExactlyOnce()
    {
        cluster.Require();
        await cluster.EnsureBothRunningAsync();
        var merchantId = await MerchantIdAsync();
        const int memberCount = 23; // five batches of five (Grants:BatchSize), the last short
        var (planId, tierId) = await ArrangeMembersAsync(merchantId, memberCount);
        var (activityId, couponActivityId) = await ArrangeGrantActivityAsync(merchantId);
        var grants = new GrantService(new MerchantDbContextFactory(cluster.Contexts, Scope(merchantId)), cluster.JobClient(), TimeProvider.System,
            Options.Create(new GrantOptions()));

        var started = await grants.StartTierGrantAsync(activityId, couponActivityId, planId, tierId);
        Assert.True(started.Succeeded, started.Refusal?.English);
        var grantId = started.GrantId!.Value;
        var holder = await cluster.NodePausedAtAsync(grantId.ToString(), TimeSpan.FromSeconds(60));
        await holder.KillAsync();
        CouponGrant atKill;
        await using (var db = cluster.Contexts.CreateForMerchant(merchantId, "test"))
            atKill = await db.Set<CouponGrant>().AsNoTracking().SingleAsync(g => g.Id == grantId);
        await WaitUntilAsync(async db => (await db.Set<CouponGrant>().AsNoTracking().SingleAsync(g => g.Id == grantId)).Status != GrantStatus.Running,
            merchantId, Recovery, "the grant finished");

        Assert.Equal((GrantStatus.Running, 5), (atKill.Status, atKill.Issued));
        await using var check = cluster.Contexts.CreateForMerchant(merchantId, "test");
        var grant = await check.Set<CouponGrant>().AsNoTracking().SingleAsync(g => g.Id == grantId);
        Assert.Equal((GrantStatus.Completed, memberCount, memberCount, 0, 0), (grant.Status, grant.Targeted, grant.Issued, grant.AlreadyHad, grant.Refused));
        var key = IssueKeys.Grant(grantId);
        var perMember = await check.Coupons.AsNoTracking().Where(c => c.IssueKey == key).GroupBy(c => c.MembershipId)
            .Select(g => new { Member = g.Key, Count = g.Count() }).ToListAsync();
        var members = await check.Memberships.AsNoTracking().Where(m => m.PlanId == planId).Select(m => m.Id).ToListAsync();
        Assert.Equal(members.Order(), perMember.Select(p => p.Member).Order());
        Assert.All(perMember, p => Assert.Equal(1, p.Count));
        Assert.Equal(memberCount, (await check.Set<CouponActivity>().AsNoTracking().SingleAsync(a => a.Id == couponActivityId)).Issued);
    }

    [Fact]
    public async Task ConcurrentRedemptionsOfOneCodeThroughBothNodesSucceedOnceAndTheOthersAreRefused()
    {
        cluster.Require();
        await cluster.EnsureBothRunningAsync();
        var merchantId = await MerchantIdAsync();
        var now = DateTimeOffset.UtcNow;
        Coupon coupon;
        int redeemedBefore;
        await using (var db = cluster.Contexts.CreateForMerchant(merchantId, "test"))
        {
            coupon = await db.Coupons.AsNoTracking().Where(c => c.Status == CouponStatus.Issued && c.ValidFrom <= now && c.ValidUntil > now.AddDays(1))
                .OrderBy(c => c.Id).FirstAsync();
            redeemedBefore = (await db.Set<CouponActivity>().AsNoTracking().SingleAsync(a => a.Id == coupon.CouponActivityId)).Redeemed;
        }
        var browser = new BrowserFixture();
        await browser.InitializeAsync();
        try
        {
            // Two store clerks on each node, each with the coupon looked up and an order amount typed.
            var pages = new List<IPage>();
            foreach (var node in new[] { cluster.A, cluster.A, cluster.B, cluster.B })
            {
                var page = await browser.NewPageAsync(node.BaseAddress);
                await SignInAsync(page, node, "store@aroma.demo");
                await page.GotoAsync("/redeem");
                await new Shell(page).WaitInteractiveAsync();
                await Field(page, "redeem-code").FillAsync(coupon.Code);
                await page.GetByTestId("redeem-lookup").ClickAsync();
                await Assertions.Expect(page.GetByTestId("redeem-coupon")).ToBeVisibleAsync();
                await Field(page, "redeem-order-amount").FillAsync("500");
                await Assertions.Expect(page.GetByTestId("redeem-submit")).ToBeEnabledAsync();
                pages.Add(page);
            }

            await Task.WhenAll(pages.Select(p => p.GetByTestId("redeem-submit").ClickAsync()));
            var outcomes = new List<(string? Kind, string Text)>();
            foreach (var page in pages)
            {
                var outcome = page.GetByTestId("redeem-outcome");
                await Assertions.Expect(outcome).ToBeVisibleAsync();
                outcomes.Add((await outcome.GetAttributeAsync("data-kind"), await outcome.InnerTextAsync()));
            }

            Assert.Single(outcomes, o => o.Kind == "redeemed");
            Assert.Equal(3, outcomes.Count(o => o.Kind == "refused" && o.Text.Trim().Length > 0));
            await using var check = cluster.Contexts.CreateForMerchant(merchantId, "test");
            Assert.Equal(CouponStatus.Redeemed, (await check.Coupons.AsNoTracking().SingleAsync(c => c.Id == coupon.Id)).Status);
            Assert.Equal(redeemedBefore + 1, (await check.Set<CouponActivity>().AsNoTracking().SingleAsync(a => a.Id == coupon.CouponActivityId)).Redeemed);
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task AStaffCookieFromOneNodeSignsInOnTheOther()
    {
        cluster.Require();
        await cluster.EnsureBothRunningAsync();
        var cookies = new CookieContainer();
        using var onA = cluster.A.Client(cookies);
        using var onB = cluster.B.Client(cookies);
        using var anonymousOnB = cluster.B.Client();

        using var login = await AppFixture.PostLoginWithAsync(onA, "admin@aroma.demo", DemoData.Password);
        using var membersOnB = await onB.GetAsync("/members");
        using var anonymous = await anonymousOnB.GetAsync("/members");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, membersOnB.StatusCode);
        Assert.Contains("data-testid=\"user-menu\"", await membersOnB.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/Account/Login", anonymous.Headers.Location?.ToString());
    }

    [Fact]
    public async Task ACircuitReconnectsOnlyToItsOwnNodeAnotherNodeDoesNotKnowIt()
    {
        cluster.Require();
        await cluster.EnsureBothRunningAsync();
        await using var proxy = new SwitchingProxy(new Uri(cluster.A.BaseAddress).Port);
        var browser = new BrowserFixture();
        await browser.InitializeAsync();
        try
        {
            var page = await browser.NewPageAsync(proxy.Address);
            await new LoginPage(page).OpenAsync();
            await new LoginPage(page).SignInAsync("admin@aroma.demo", DemoData.Password);
            await page.WaitForURLAsync(proxy.Address + "/");
            await page.GotoAsync("/members");
            await new Shell(page).WaitInteractiveAsync();
            await page.EvaluateAsync("() => { window.twoNodesMark = 'this page'; }");

            // Sticky: every connection dropped, the proxy still sends the page to node A, and the circuit carries on.
            var acceptedBefore = proxy.Accepted;
            proxy.DropAll();
            await WaitForAsync(() => proxy.Accepted > acceptedBefore, TimeSpan.FromSeconds(30), "the page reconnects");
            await Task.Delay(3000);
            var markAfterSticky = await page.EvaluateAsync<string?>("() => window.twoNodesMark ?? null");
            var modalOpenAfterSticky = await page.EvaluateAsync<bool>("() => document.getElementById('components-reconnect-modal')?.open ?? false");

            // Not sticky: the reconnection lands on node B, which has no such circuit; the page must start afresh there.
            proxy.TargetPort = new Uri(cluster.B.BaseAddress).Port;
            proxy.DropAll();
            await page.WaitForFunctionAsync("() => window.twoNodesMark === undefined", null, new() { Timeout = 30_000 });
            await new Shell(page).WaitInteractiveAsync();

            Assert.Equal("this page", markAfterSticky);
            Assert.False(modalOpenAfterSticky);
            Assert.True(proxy.AcceptedBy(new Uri(cluster.B.BaseAddress).Port) > 0);
            Assert.EndsWith("/members", page.Url);
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    // ---- arrangement through the database and the services the nodes' pages call ----

    private sealed record PendingOrder(Guid Id, string PaymentId, Money Price);

    private sealed record Sale(Guid MerchantId, Guid PlanId, Guid TierId, Guid ChannelId, Guid ProductId, Guid CouponActivityId, List<PendingOrder> Orders);

    private MerchantScope Scope(Guid merchantId)
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, "admin@aroma.demo");
        return scope;
    }

    private WorkflowJobQueue Queue() => new(cluster.JobClient(), NullLogger<WorkflowJobQueue>.Instance);

    private PlanActivationService PlanActivation(Guid merchantId)
    {
        var scope = Scope(merchantId);
        return new PlanActivationService(new MerchantDbContextFactory(cluster.Contexts, scope), scope, TimeProvider.System, Queue(), new WorkflowProgressNotifier(NullLogger<WorkflowProgressNotifier>.Instance));
    }

    private BenefitService BenefitService(Guid merchantId)
    {
        var scope = Scope(merchantId);
        return new BenefitService(new MerchantDbContextFactory(cluster.Contexts, scope), scope, TimeProvider.System, Queue(), new WorkflowProgressNotifier(NullLogger<WorkflowProgressNotifier>.Instance));
    }

    private async Task<Guid> MerchantIdAsync()
    {
        await using var db = cluster.Contexts.CreateAcrossMerchants("test");
        return (await db.Merchants.SingleAsync(m => m.Code == Merchant)).Id;
    }

    private async Task<Sale> ArrangeOrdersAsync(int count)
    {
        var merchantId = await MerchantIdAsync();
        var (sale, _) = await ArrangeOnSalePlanAsync(merchantId, onJoinBudget: count * 2);
        var now = DateTimeOffset.UtcNow;
        var prefix = Random.Shared.Next(100, 999);
        for (var batch = 0; batch < count; batch += 1000)
        {
            await using var db = cluster.Contexts.CreateForMerchant(merchantId, "test");
            for (var i = batch; i < Math.Min(count, batch + 1000); i++)
            {
                var customer = Customer.Create(merchantId, $"15{prefix}{i:000000}", $"Two nodes {i}", null, null, now);
                db.Customers.Add(customer);
                var price = new Money(19_900, "CNY");
                var order = Order.Place(merchantId, customer.Id, sale.PlanId, sale.TierId, sale.ChannelId, sale.ProductId, price,
                    $"two-nodes-{i}", false, now, TimeSpan.FromHours(2));
                // The sandbox names a payment after its order; the callback is built here from these rows and the shared key.
                var paymentId = "sbx_" + order.Id.ToString("N");
                order.AttachPayment(paymentId, now);
                db.Orders.Add(order);
                sale.Orders.Add(new PendingOrder(order.Id, paymentId, price));
            }
            await db.SaveChangesAsync();
        }
        return sale;
    }

    /// <summary>An Active plan with a Purchase product (and a Manual channel), and, with a budget, an Active on-join coupon benefit.</summary>
    private async Task<(Sale Sale, Guid TemplateVersionId)> ArrangeOnSalePlanAsync(Guid merchantId, int? onJoinBudget)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = cluster.Contexts.CreateForMerchant(merchantId, "test");
        var cardVersion = (await db.MembershipPlans.AsNoTracking().FirstAsync(p => p.CardTemplateVersionId != null)).CardTemplateVersionId!.Value;
        var plan = MembershipPlan.Create(merchantId, $"Two nodes club {Guid.NewGuid():N}", null, "CNY", now);
        plan.ChooseCardTemplateVersion(cardVersion, now);
        plan.SetValidity(ValidityPolicy.FixedDays, 365, null, now);
        var tier = plan.AddTier("Gold", "#FFD700", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var channel = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, now);
        plan.AddChannel(tier.Id, JoinChannelType.Manual, null, null, null, now);
        var product = plan.AddProduct(channel.Id, "Gold yearly", new Money(19_900, "CNY"), 1, DurationUnit.Years, null, null, RenewalRule.ManualRenewal, now);
        plan.BeginActivation(now);
        plan.MarkProductsPending(now);
        plan.MarkActive(now);
        plan.MarkProductsActive(now);
        db.MembershipPlans.Add(plan);

        var terms = new CouponTerms
        {
            Kind = CouponKind.CashOff, Currency = "CNY", FaceValueMinorUnits = 2000, MinimumSpendMinorUnits = 10000,
            Validity = CouponValidity.AfterIssue(30),
        };
        var template = CouponTemplate.Create(merchantId, "Two nodes welcome", terms, "test", now);
        var version = template.Publish("test", now);
        db.CouponTemplates.Add(template);
        var couponActivityId = Guid.Empty;
        if (onJoinBudget is { } budget)
        {
            var activity = Activity.Create(merchantId, "Two nodes welcome", now.AddDays(-1), null, "test", now);
            var couponActivity = activity.AddCouponActivity(version, IssuingRule.OnJoin, budget, "test", now);
            activity.MakeEffective("test", now);
            var from = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
            var benefit = Benefit.Create(plan, "Welcome", [], BenefitKind.Coupon, from, "test", now);
            benefit.ChangeDraft(v => v.SetCoupon(activity.Id, version.Id, IssuingRule.OnJoin, budget), "test", now);
            var activating = benefit.BeginActivation("test", now);
            activating.RecordActivity(activity.Id);
            activating.RecordCouponActivity(couponActivity.Id);
            benefit.Bind(activating.Id, from.AddDays(1), now);
            db.Activities.Add(activity);
            db.Benefits.Add(benefit);
            couponActivityId = couponActivity.Id;
        }
        await db.SaveChangesAsync();
        return (new Sale(merchantId, plan.Id, tier.Id, channel.Id, product.Id, couponActivityId, []), version.Id);
    }

    /// <summary>A Draft plan that passes the activation's dry run.</summary>
    private async Task<Guid> ArrangeDraftPlanAsync(Guid merchantId, string name)
    {
        var now = DateTimeOffset.UtcNow;
        var template = CardTemplate.Create(merchantId, "Two nodes card", Designs.Compliant(), "test", now);
        var version = template.Publish("test", now);
        var plan = MembershipPlan.Create(merchantId, name, null, "CNY", now);
        plan.ChooseCardTemplateVersion(version.Id, now);
        var tier = plan.AddTier("Regular", "#336699", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var purchase = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, now);
        plan.AddProduct(purchase.Id, "Monthly pass", new Money(2_900, "CNY"), 1, DurationUnit.Months, null, null, RenewalRule.None, now);
        await using var db = cluster.Contexts.CreateForMerchant(merchantId, "test");
        db.CardTemplates.Add(template);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan.Id;
    }

    /// <summary>An Active plan whose one tier has <paramref name="count"/> active members.</summary>
    private async Task<(Guid PlanId, Guid TierId)> ArrangeMembersAsync(Guid merchantId, int count)
    {
        var (sale, _) = await ArrangeOnSalePlanAsync(merchantId, onJoinBudget: null);
        await using var db = cluster.Contexts.CreateForMerchant(merchantId, "test");
        var plan = await db.MembershipPlans.WithParts().SingleAsync(p => p.Id == sale.PlanId);
        var manual = plan.Tiers.Single().JoinChannels.Single(c => c.Type == JoinChannelType.Manual);
        var zone = TimeZoneInfo.FindSystemTimeZoneById((await db.Merchants.SingleAsync(m => m.Id == merchantId)).TimeZoneId);
        var now = DateTimeOffset.UtcNow;
        var prefix = Random.Shared.Next(100, 999);
        for (var i = 0; i < count; i++)
        {
            var customer = Customer.Create(merchantId, $"14{prefix}{i:000000}", $"Grant member {i}", null, null, now);
            db.Customers.Add(customer);
            db.Memberships.Add(Membership.Enrol(plan, sale.TierId, manual.Id, EnrolmentSource.Staff, null, customer, CardNumbers.Generate(), zone, now));
        }
        await db.SaveChangesAsync();
        return (sale.PlanId, sale.TierId);
    }

    private async Task<(Guid ActivityId, Guid CouponActivityId)> ArrangeGrantActivityAsync(Guid merchantId)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = cluster.Contexts.CreateForMerchant(merchantId, "test");
        var template = CouponTemplate.Create(merchantId, "Two nodes grant", Tests.Domain.Coupons.CouponTestTerms.CashOff(), "test", now);
        var version = template.Publish("test", now);
        var activity = Activity.Create(merchantId, "Two nodes grant", now.AddDays(-1), null, "test", now);
        var couponActivity = activity.AddCouponActivity(version, IssuingRule.ManualGrant, 1000, "test", now);
        activity.MakeEffective("test", now);
        db.CouponTemplates.Add(template);
        db.Activities.Add(activity);
        await db.SaveChangesAsync();
        return (activity.Id, couponActivity.Id);
    }

    // ---- waiting and reading ----

    private async Task<WorkflowRun> RunAsync(Guid merchantId, Guid runId)
    {
        await using var db = cluster.Contexts.CreateForMerchant(merchantId, "test");
        return await db.WorkflowRuns.AsNoTracking().WithSteps().SingleAsync(r => r.Id == runId);
    }

    private async Task<WorkflowRun> AwaitRunAsync(Guid merchantId, Guid runId)
    {
        await WaitUntilAsync(async db => (await db.WorkflowRuns.AsNoTracking().SingleAsync(r => r.Id == runId)).Status != WorkflowRunStatus.Running,
            merchantId, Recovery, $"run {runId} ended");
        return await RunAsync(merchantId, runId);
    }

    private async Task WaitUntilAsync(Func<MerchantDbContext, Task<bool>> done, Guid merchantId, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var db = cluster.Contexts.CreateForMerchant(merchantId, "test"))
                if (await done(db))
                    return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not within {timeout}: {what}.\n{string.Join("\n", cluster.Nodes.Select(n => $"-- node {n.Name}:\n{n.Output}"))}");
            await Task.Delay(250);
        }
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not within {timeout}: {what}.");
            await Task.Delay(100);
        }
    }

    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    private static async Task SignInAsync(IPage page, AppNode node, string email)
    {
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync(email, DemoData.Password);
        await page.WaitForURLAsync(node.BaseAddress + "/");
    }
}
