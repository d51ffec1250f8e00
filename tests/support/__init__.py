"""What the tests share, each helper in one place: data read from the project's own seed files
(`shared_data`), the recommendation form's helpers (`recommendation_support`, a pytest plugin),
the XSS corpus and its checks (`xss`), `sync_posts` runs (`content`), responses and addresses
(`pages`), the admin's forms (`admin_forms`), following by email (`following`), the live-server
harness (`live_servers`, also used by bench/), and mail backends (`mail_backends`)."""
