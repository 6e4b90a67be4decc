using System.Data.Common;
using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Grants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Benchmarks;

/// <summary>
/// <c>grant [members]</c>: a manual grant of one coupon to each of N generated members against a raw prepared INSERT
/// of the same number of coupon rows (same table, same columns, one transaction) on the same database (SQLite, or PostgreSQL
/// with <c>--provider PostgreSql</c>); then
/// redeeming random codes among all 2N coupons. See README, Benchmarks.
/// </summary>
internal static class GrantBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var args = options.Positional;
        var members = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var redemptions = args.Length > 1 ? int.Parse(args[1]) : 1_000;
        await using var database = await BenchDatabase.CreateAsync(options, "grant");
        var clock = TimeProvider.System;
        var contexts = new ProviderContextOptions(database.Database, database.Folder, new SaveStampingInterceptor(clock, new NoTrigger()));
        {
            await contexts.MigrateAsync();
            var now = clock.GetUtcNow();
            var merchant = Merchant.Create("Bench grants", "bench-grants", "Asia/Shanghai", "CNY", now);
            await using (var db = contexts.Create(new MerchantScope()))
            {
                db.Merchants.Add(merchant);
                await db.SaveChangesAsync();
            }
            var scope = new MerchantScope();
            scope.UseMerchant(merchant.Id, "bench@grants");
            var factory = new MerchantDbContextFactory(contexts, scope);
            Console.WriteLine($"Grant benchmark — {Environment.ProcessorCount} cores, {members:N0} members, {database.Description}");

            var sw = Stopwatch.StartNew();
            var (plan, tierId) = await GenerateMembersAsync(contexts, merchant, members, now);
            Console.WriteLine($"generated {members:N0} customers + memberships (bulk, no tracking): {sw.Elapsed.TotalSeconds:N1} s");

            var baselineActivity = await CouponActivityAsync(factory, clock, "Baseline", members);
            var grantActivity = await CouponActivityAsync(factory, clock, "Grant", members);

            // (a) raw baseline: one prepared INSERT, rebound per row, one transaction, same table and columns.
            sw.Restart();
            var raw = await RawInsertAsync(contexts, merchant.Id, baselineActivity.CouponActivityId, members, now);
            var rawSeconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"(a) raw prepared INSERT of {raw:N0} coupon rows in one transaction: {rawSeconds:N1} s ({raw / rawSeconds:N0} rows/s)");

            // (b) the real grant path: GrantService + CouponGrantJob, batches through BulkCouponIssuer and CouponBulkWriter.
            var grantOptions = Options.Create(new GrantOptions { BatchSize = 5_000, Lease = TimeSpan.FromMinutes(10) });
            var grants = new GrantService(factory, new NoJobs(), clock, grantOptions);
            var started = await grants.StartTierGrantAsync(grantActivity.ActivityId, grantActivity.CouponActivityId, plan, tierId);
            if (!started.Succeeded)
                throw new InvalidOperationException(started.Refusal!.English);
            var job = new CouponGrantJob(contexts, new BulkCouponIssuer(new CouponBatchIssuer(factory, new SecureCouponCodeRandom())), clock, grantOptions,
                new NoGrantBatchHook(), new GrantProgress());
            sw.Restart();
            await job.RunAsync(merchant.Id, started.GrantId!.Value, CancellationToken.None);
            var grantSeconds = sw.Elapsed.TotalSeconds;
            var grant = (await grants.FindAsync(started.GrantId.Value))!;
            Console.WriteLine($"(b) manual grant to {grant.Targeted:N0} members ({grant.Status}: issued {grant.Issued:N0}, refused {grant.Refused:N0}): {grantSeconds:N1} s ({grant.Issued / grantSeconds:N0} coupons/s)");
            Console.WriteLine($"ratio grant/raw: {grant.Issued / grantSeconds / (raw / rawSeconds):N2} (goal >= 0.5)");
            Console.WriteLine($"peak memory so far: {PeakMiB():N0} MiB (VmHWM; goal < 500)");

            // Redemption among all coupons (baseline + grant = 2N).
            var codes = database.IsPostgreSql ? await RandomCodesPostgreSqlAsync(factory, redemptions) : await RandomCodesAsync(factory, redemptions);
            var redemption = new CouponRedemption(factory, Options.Create(new CouponOptions()));
            var latencies = new List<double>(codes.Count);
            var failed = 0;
            foreach (var code in codes)
            {
                sw.Restart();
                var result = await redemption.RedeemAsync(code, 20_000, "S001", clock.GetUtcNow(), "bench@grants");
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                if (!result.Succeeded) failed++;
            }
            latencies.Sort();
            await using (var db = factory.CreateDbContext())
                Console.WriteLine($"redeem {codes.Count:N0} random codes among {await db.Coupons.CountAsync():N0} coupons ({failed} refused): " +
                    $"p50 {Pct(latencies, 0.50):F2} ms, p95 {Pct(latencies, 0.95):F2} ms, p99 {Pct(latencies, 0.99):F2} ms (goal p95 < 20 ms)");
            Console.WriteLine($"process peak memory: {PeakMiB():N0} MiB (VmHWM; Process.PeakWorkingSet64 {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB)");
        }
    }

    private static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    private static long PeakMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;
    }

    /// <summary>N customers (phone <c>139</c> + 8 digits of i) and memberships (card <c>88</c> + 9 digits of i + check digit), bulk-written.</summary>
    internal static async Task<(Guid PlanId, Guid TierId)> GenerateMembersAsync(ProviderContextOptions contexts, Merchant merchant, int count, DateTimeOffset now,
        Func<int, DateTimeOffset>? joinedAt = null)
    {
        var design = new DisplayDesign
        {
            BrandName = "Bench", BackgroundColor = "#D09A45", TextColor = "#111111", Title = "Bench card", Barcode = BarcodeKind.QrCode,
            ShownFields = ShownFields.CardNumber,
        };
        var template = CardTemplate.Create(merchant.Id, "Bench card", design, "bench", now);
        var version = template.Publish("bench", now);
        var plan = MembershipPlan.Create(merchant.Id, "Bench club", null, "CNY", now);
        plan.ChooseCardTemplateVersion(version.Id, now);
        var tier = plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var channel = plan.AddChannel(tier.Id, JoinChannelType.Manual, null, null, null, now);
        plan.BeginActivation(now);
        plan.MarkProductsPending(now);
        plan.MarkActive(now);
        plan.MarkProductsActive(now);
        await using (var db = contexts.CreateForMerchant(merchant.Id, "bench"))
        {
            db.CardTemplates.Add(template);
            db.MembershipPlans.Add(plan);
            await db.SaveChangesAsync();
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(merchant.TimeZoneId);
        const int chunk = 50_000;
        for (var start = 0; start < count; start += chunk)
        {
            await using var db = contexts.CreateForMerchant(merchant.Id, "bench");
            await using var transaction = await db.Database.BeginTransactionAsync();
            var customers = new List<Customer>(chunk);
            var memberships = new List<Membership>(chunk);
            for (var i = start; i < Math.Min(count, start + chunk); i++)
            {
                var customer = Customer.Create(merchant.Id, $"139{i:00000000}", $"会员{i}", null, null, now);
                var body = $"88{i:000000000}";
                customers.Add(customer);
                memberships.Add(Membership.Enrol(plan, tier.Id, channel.Id, EnrolmentSource.Staff, null, customer, body + CardNumbers.CheckDigit(body), zone,
                    joinedAt?.Invoke(i) ?? now));
            }
            await CouponBulkWriter.InsertRowsAsync(db, customers);
            await CouponBulkWriter.InsertRowsAsync(db, memberships);
            await transaction.CommitAsync();
        }
        return (plan.Id, tier.Id);
    }

    private static async Task<(Guid ActivityId, Guid CouponActivityId)> CouponActivityAsync(MerchantDbContextFactory factory, TimeProvider clock, string name, int budget)
    {
        var terms = new CouponTerms
        {
            Kind = CouponKind.CashOff, Currency = "CNY", FaceValueMinorUnits = 2000, MinimumSpendMinorUnits = 10000,
            Validity = CouponValidity.AfterIssue(30),
            CodePattern = new CouponCodePattern("", 12, CouponCodePattern.DefaultAlphabet),
        };
        var template = await new CouponTemplateService(factory, clock).CreateAsync(name, terms, publish: true);
        var activities = new ActivityService(factory, clock);
        var activity = await activities.CreateAsync(name, clock.GetUtcNow().AddDays(-1), null);
        var added = await activities.AddCouponActivityAsync(activity.Id!.Value, template.VersionId ?? throw new InvalidOperationException(template.Refusal?.English),
            IssuingRule.ManualGrant, budget);
        await activities.MakeEffectiveAsync(activity.Id!.Value);
        return (activity.Id!.Value, added.VersionId!.Value);
    }

    /// <summary>The baseline: the coupon table's own INSERT, prepared once, with the same values the grant writes (random codes included).</summary>
    private static async Task<int> RawInsertAsync(ProviderContextOptions contexts, Guid merchantId, Guid couponActivityId, int count, DateTimeOffset now)
    {
        await using var db = contexts.CreateForMerchant(merchantId, "bench");
        var version = await db.Activities.AsNoTracking().SelectMany(a => a.CouponActivities).Where(c => c.Id == couponActivityId)
            .Select(c => c.CouponTemplateVersionId).SingleAsync();
        var ids = await db.Memberships.AsNoTracking().Select(m => m.Id).ToListAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        string[] columns = ["Id", "MerchantId", "CouponActivityId", "CouponTemplateVersionId", "MembershipId", "BenefitVersionId", "Code", "IssueKey", "Currency",
            "Status", "IssuedAt", "ValidFrom", "ValidUntil"];
        // SQLite stores ids as upper-case text and instants as sortable integers; PostgreSQL as uuid and timestamptz (offset zero).
        var postgres = contexts.Provider == DatabaseProvider.PostgreSql;
        var binaryNow = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter();
        var marker = postgres ? "@" : "$";
        command.CommandText = $"INSERT INTO \"Coupons\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"{marker}p{i}"))})";
        var p = columns.Select((_, i) => { var x = command.CreateParameter(); x.ParameterName = $"{marker}p{i}"; command.Parameters.Add(x); return x; }).ToArray();
        object Id(Guid id) => postgres ? id : id.ToString().ToUpperInvariant();
        object At(DateTimeOffset at) => postgres ? at.ToUniversalTime() : binaryNow.ConvertToProvider(at)!;
        // Npgsql prepares typed parameters only: the null one is typed here, the others by the first row's values.
        p[5].DbType = System.Data.DbType.Guid;
        var pattern = new CouponCodePattern("", 12, CouponCodePattern.DefaultAlphabet);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var issued = now.ToUniversalTime();
        for (var i = 0; i < count; i++)
        {
            string code;
            do code = pattern.Generate(System.Security.Cryptography.RandomNumberGenerator.GetInt32); while (!codes.Add(code));
            p[0].Value = Id(Guid.CreateVersion7(now));
            p[1].Value = Id(merchantId);
            p[2].Value = Id(couponActivityId);
            p[3].Value = Id(version);
            p[4].Value = Id(ids[i % ids.Count]);
            p[5].Value = DBNull.Value;
            p[6].Value = code;
            p[7].Value = "raw:baseline";
            p[8].Value = "CNY";
            p[9].Value = "Issued";
            p[10].Value = At(issued);
            p[11].Value = At(issued);
            p[12].Value = At(issued.AddDays(31));
            if (i == 0)
                await command.PrepareAsync();
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return count;
    }

    /// <summary>Random coupons by rowid (the table's rowids are dense: nothing is ever deleted here).</summary>
    private static async Task<List<string>> RandomCodesAsync(MerchantDbContextFactory factory, int count)
    {
        await using var db = factory.CreateDbContext();
        var max = await db.Database.SqlQuery<long>($"SELECT MAX(rowid) AS Value FROM Coupons").SingleAsync();
        var codes = new List<string>(count);
        while (codes.Count < count)
        {
            var rowid = Random.Shared.NextInt64(1, max + 1);
            if (await db.Database.SqlQuery<string>($"SELECT Code AS Value FROM Coupons WHERE rowid = {rowid}").FirstOrDefaultAsync() is { } code)
                codes.Add(code);
        }
        return codes;
    }

    /// <summary>Random coupons: PostgreSQL has no dense rowid, so a random sample of the table's rows.</summary>
    private static async Task<List<string>> RandomCodesPostgreSqlAsync(MerchantDbContextFactory factory, int count)
    {
        await using var db = factory.CreateDbContext();
        return await db.Database.SqlQuery<string>($"SELECT \"Code\" AS \"Value\" FROM \"Coupons\" ORDER BY random() LIMIT {count}").ToListAsync();
    }

    private sealed class NoJobs : IBackgroundJobClient
    {
        public string Create(Job job, IState state) => "bench";
        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
