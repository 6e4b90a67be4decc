using System.Globalization;
using CsvHelper;
using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Members;

public sealed record MemberExportView(Guid Id, MemberExportStatus Status, long Expected, long Written, DateTimeOffset RequestedAt)
{
    public double Percent => Status == MemberExportStatus.Completed ? 100 : Expected <= 0 ? 0 : Math.Min(99, 100.0 * Written / Expected);
}

/// <summary>Where export files live: under the data folder, one folder per merchant.</summary>
public sealed class MemberExportFiles(IOptions<DatabaseOptions> database, IHostEnvironment environment)
{
    public string PathOf(Guid merchantId, Guid exportId) =>
        Path.Combine(Path.GetFullPath(Path.Combine(environment.ContentRootPath, database.Value.DataFolder)), "exports", merchantId.ToString("N"),
            exportId.ToString("N") + ".csv");
}

/// <summary>
/// CSV exports of the member list's current filter: started here, written by <see cref="MemberExportJob"/> (Hangfire),
/// found only by the merchant that asked (the row is merchant-owned). See ARCHITECTURE.md, Members.
/// </summary>
public sealed class MemberExports(IDbContextFactory<MerchantDbContext> contexts, MemberQueries members, MerchantScope scope,
    IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task<MemberExportView> StartAsync(MemberListQuery filter, CancellationToken cancellationToken = default)
    {
        var expected = (await members.ListAsync(filter with { PageSize = 1, After = null, Before = null, JumpToPage = null }, cancellationToken)).Total;
        var merchantId = scope.MerchantId ?? throw new InvalidOperationException("An export needs a merchant.");
        var export = MemberExport.Request(merchantId, filter.Search, filter.PlanId, filter.TierId, filter.Status, expected,
            scope.UserName ?? SystemActors.Jobs, clock.GetUtcNow());
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.MemberExports.Add(export);
            await db.SaveChangesAsync(cancellationToken);
        }
        jobs.Enqueue<MemberExportJob>(j => j.RunAsync(merchantId, export.Id, CancellationToken.None));
        return View(export);
    }

    /// <summary>Null for no such export of this merchant (another merchant's id included).</summary>
    public async Task<MemberExportView?> FindAsync(Guid exportId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var export = await db.MemberExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == exportId, cancellationToken);
        return export is null ? null : View(export);
    }

    private static MemberExportView View(MemberExport e) => new(e.Id, e.Status, e.Expected, e.Written, e.RequestedAt);
}

/// <summary>
/// Writes one export: the filter's rows page by page (keyset, as the grid reads them) through CsvHelper into a temporary
/// file, the progress saved after each page, then the file moved into place and the export completed. A retry starts over.
/// </summary>
public sealed class MemberExportJob(ProviderContextOptions contexts, MemberExportFiles files, TimeProvider clock)
{
    public const string Actor = SystemActors.Prefix + "member-export";
    public const int PageSize = 1_000;

    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid merchantId, Guid exportId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateForMerchant(merchantId, Actor);
        var export = await db.MemberExports.SingleOrDefaultAsync(e => e.Id == exportId, cancellationToken);
        if (export is null || export.Status == MemberExportStatus.Completed)
            return;
        export.Start();
        await db.SaveChangesAsync(cancellationToken);
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, Actor);
        var members = new MemberQueries(new MerchantDbContextFactory(contexts, scope));
        var path = files.PathOf(merchantId, exportId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".part";
        try
        {
            long written = 0;
            await using (var csv = CsvWriter.ToFile(partial, new CsvWriterOptions { WriteByteOrderMark = true }, FileOptions.None))
            {
                // A byte order mark so that spreadsheet programs read the Chinese names as UTF-8.
                csv.WriteHeader(Columns);
                var query = new MemberListQuery(export.Search, export.PlanId, export.TierId, export.MembershipStatus, PageSize);
                while (true)
                {
                    var page = await members.ListAsync(query, PageSize, cancellationToken);
                    foreach (var row in page.Rows)
                        csv.WriteRecord([CardNumbers.Display(row.CardNumber), row.Name, row.Phone, row.PlanName, row.TierName, row.Status.ToString(),
                            row.JoinedAt.ToString("O", CultureInfo.InvariantCulture), row.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) ?? ""]);
                    written += page.Rows.Count;
                    export.Progress(written);
                    await db.SaveChangesAsync(cancellationToken);
                    if (!page.HasNext || page.Rows.Count == 0)
                        break;
                    query = query with { After = page.Rows[^1].Cursor };
                }
            }
            File.Move(partial, path, overwrite: true);
            export.Complete(written, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            File.Delete(partial);
            export.Fail(clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>The header: stable names a merchant's own tools can read, whatever the staff's language.</summary>
    public static readonly string[] Columns = ["CardNumber", "Name", "Phone", "Plan", "Tier", "Status", "JoinedAt", "ExpiresAt"];
}
