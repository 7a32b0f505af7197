from careops.cli.app import main

main()
