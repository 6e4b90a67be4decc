using System.Diagnostics;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Telemetry;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using CardTemplate = MerchantConsole.Domain.CardTemplates.CardTemplate;

namespace MerchantConsole.Tests.Telemetry;

/// <summary>
/// What an operator's collector receives: a span per request (tagged with the signed-in merchant), per job and per
/// workflow step (tagged with its run and merchant), and the activation, job and outbox-lag metrics.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task AnActivationLeavesSpansTaggedWithItsRunAndMerchantAndTheDurationMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var factory = new AppFactory()
            .WithSetting("Demo:Customers", "0")
            .WithServices(services => services
                .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics)));
        using var admin = await SignedInAsync(factory, "admin@orchard.demo");
        var contexts = factory.Services.GetRequiredService<ProviderContextOptions>();
        Guid merchantId;
        await using (var db = factory.CreateUnscopedContext())
            merchantId = (await db.Merchants.FirstAsync(m => m.Code == "fresh-orchard")).Id;

        var page = await admin.GetAsync("/plans");
        var runId = await StartActivationAsync(factory, contexts, merchantId);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        WorkflowRunStatus? status = null;
        while (DateTime.UtcNow < deadline && status != WorkflowRunStatus.Succeeded)
        {
            await Task.Delay(250);
            await using var db = contexts.CreateForMerchant(merchantId, "test");
            status = await db.WorkflowRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync();
        }
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.True(page.IsSuccessStatusCode);
        if (status != WorkflowRunStatus.Succeeded)
            Assert.Fail($"The run is {status} after 60 s: {await StepsOfAsync(contexts, merchantId, runId)}");
        Activity[] recorded;
        lock (spans) recorded = [.. spans];
        Assert.Contains(recorded, s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == "/plans"
                                       && Equals(s.GetTagItem(AppTelemetry.MerchantTag), merchantId));
        var steps = recorded.Where(s => s.DisplayName == "workflow step" && Equals(s.GetTagItem(AppTelemetry.RunTag), runId)).ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.Equal(merchantId, s.GetTagItem(AppTelemetry.MerchantTag)));
        // Each step ran as a Hangfire job: its span is the step's parent.
        Assert.Contains(recorded, s => s.DisplayName == "job WorkflowStepJob.RunNextStepAsync" && steps.Any(step => step.ParentSpanId == s.SpanId));
        string[] names = ["merchantconsole.workflow.duration", "merchantconsole.job.duration", "merchantconsole.outbox.lag"];
        Assert.All(names, name => Assert.Contains(metrics, m => m.Name == name));
        var activation = metrics.Last(m => m.Name == "merchantconsole.workflow.duration");
        var kinds = new List<string?>();
        foreach (ref readonly var point in activation.GetMetricPoints())
            foreach (var tag in point.Tags)
                if (tag.Key == "workflow.kind") kinds.Add(tag.Value as string);
        Assert.Contains("PlanActivation", kinds);
    }

    /// <summary>Where each step of the run stands (status, attempts, when it is due, its last error): tells a slow queue from a retried step.</summary>
    private static async Task<string> StepsOfAsync(ProviderContextOptions contexts, Guid merchantId, Guid runId)
    {
        await using var db = contexts.CreateForMerchant(merchantId, "test");
        var run = await db.WorkflowRuns.AsNoTracking().Include(r => r.Steps).SingleAsync(r => r.Id == runId);
        return $"started {run.StartedAt:HH:mm:ss.fff}, now {DateTimeOffset.UtcNow:HH:mm:ss.fff}; " + string.Join("; ", run.Steps.OrderBy(s => s.Order).Select(s =>
            $"{s.Name} {s.Status} ×{s.Attempts} started {s.StartedAt:HH:mm:ss.fff} next {s.NextAttemptAt:HH:mm:ss.fff} {s.LastError?[..Math.Min(s.LastError.Length, 200)]}"));
    }

    private static async Task<HttpClient> SignedInAsync(AppFactory factory, string email)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await AppFixture.PostLoginWithAsync(client, email, DemoData.Password);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private static async Task<Guid> StartActivationAsync(AppFactory factory, ProviderContextOptions contexts, Guid merchantId)
    {
        var now = DateTimeOffset.UtcNow;
        var template = CardTemplate.Create(merchantId, "Telemetry card", Designs.Compliant(), "test", now);
        var version = template.Publish("test", now);
        var plan = MembershipPlan.Create(merchantId, $"Telemetry plan {Guid.NewGuid():N}", null, "CNY", now);
        plan.ChooseCardTemplateVersion(version.Id, now);
        var tier = plan.AddTier("Regular", "#336699", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var purchase = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, now);
        plan.AddProduct(purchase.Id, "Monthly pass", new Money(2_900, "CNY"), 1, DurationUnit.Months, null, null, RenewalRule.None, now);
        await using (var db = contexts.CreateForMerchant(merchantId, "admin@orchard.demo"))
        {
            db.CardTemplates.Add(template);
            db.MembershipPlans.Add(plan);
            await db.SaveChangesAsync();
        }
        await using var services = factory.Services.CreateAsyncScope();
        services.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(merchantId, "admin@orchard.demo");
        return await services.ServiceProvider.GetRequiredService<PlanActivationService>().StartActivationAsync(plan.Id);
    }
}
