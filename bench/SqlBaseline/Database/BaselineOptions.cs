namespace Shop.SqlBaseline.Database;

/// <summary>Section <c>Baseline</c>.</summary>
public sealed class BaselineOptions
{
    /// <summary>
    /// Connections to PostgreSQL: sized for the server's cores (PostgreSQL's rule of thumb, cores x 2 plus
    /// disks, rounded up), not for the number of requests. Checkouts of one hot product serialize on its
    /// row lock whatever the pool; extra connections only add lock waiters and context switches. On the
    /// 2-core benchmark machine, 8 connections sold the hot product faster than 16, 32 or 64 did, and
    /// the 1,000 spread products as fast as 32.
    /// </summary>
    public int MaxPoolSize { get; set; } = 8;
}
