"""`hikeshi serve`: the web app and REST API with uvicorn, on the database of the settings."""

from __future__ import annotations

from typing import Annotated

import typer

from hikeshi.cli.watch import fail
from hikeshi.errors import HikeshiError
from hikeshi.settings import load_settings


def serve(
    host: Annotated[
        str, typer.Option("--host", help="待ち受けるアドレス（既定はこのマシンからのみ）。")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="ポート番号（0 なら空いている番号）。")
    ] = 8000,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn のログの詳しさ。")] = "info",
) -> None:
    """Opens the store (applying migrations) before listening, so a bad database URL fails at once."""
    import uvicorn

    from hikeshi.web.app import create_app

    try:
        settings = load_settings()
        app = create_app(settings)
    except HikeshiError as error:
        raise fail(error) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"注意: {host} で待ち受けます。外部に公開する場合は HTTPS のリバースプロキシの後ろに置き、"
            "HIKESHI_COOKIE_SECURE=1 を設定してください。",
            err=True,
        )
    typer.echo(
        f"hikeshi を http://{host}:{port} で起動します（API の説明は /docs）。Ctrl+C で終了します。", err=True
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)
