from scl_tui.cli import main

main()
